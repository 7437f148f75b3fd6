using Robotics.Sim.Mujoco;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tests.Mujoco;

namespace Robotics.Sim.Tests.Randomization;

/// <summary>A nominal cart-pole, one environment copy of it with data, and a randomizer over them.</summary>
internal sealed class RandomizerFixture : IDisposable
{
    public RandomizerFixture(RandomizationConfig config, string? xml = null)
    {
        Nominal = MjModel.LoadXml(TestModels.WriteTemp(xml ?? TestModels.CartPoleXml));
        Model = Nominal.Clone();
        Data = new MjData(Model);
        Randomizer = new DomainRandomizer(Nominal, Model, config);
    }

    public MjModel Nominal { get; }
    public MjModel Model { get; }
    public MjData Data { get; }
    public DomainRandomizer Randomizer { get; }

    public int Id(MjtObj kind, string name)
    {
        int id = Model.NameToId(kind, name);
        Assert.True(id >= 0, $"no {kind} '{name}' in the test model");
        return id;
    }

    public void Dispose()
    {
        Data.Dispose();
        Model.Dispose();
        Nominal.Dispose();
    }
}
