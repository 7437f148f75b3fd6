using Robotics.Contract;
using Robotics.Contract.Observations;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.Training.Export;

namespace Robotics.Training.Tests.Export;

/// <summary>
/// A swing-up policy goes from export to the robot runtime: the model carries the joint_angles_sincos layout, the
/// runtime's observation source accepts it (it refused the task's earlier, simulation-only site term), and builds
/// from the robot's state exactly the observation the simulator trained it on.
/// </summary>
public sealed class SwingupDeploymentTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-swingup-deploy-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Exported_swingup_policy_runs_on_the_runtime_from_the_robot_state_as_in_simulation()
    {
        // Given a swing-up policy exported to ONNX,
        var task = TaskCatalog.Load("cartpole-swingup");
        var policy = ExportTestPolicies.Random(task.PolicyContract, [16], seed: 5);
        var path = Path.Combine(directory, "swingup.onnx");
        OnnxExporter.Export(policy, path);

        // when the runtime loads it and builds its observations from the state the robot reports,
        using var onnx = OnnxPolicy.Load(path);
        var contract = onnx.Metadata.Contract;
        var source = new ContractObservationSource(contract);
        using var env = new SimEnvironment(task, randomize: false);
        env.Reset(seed: 1);
        var state = new RobotState(contract.Robot.Joints.Count);
        var observation = new float[source.Size];
        float[] previous = [0f];
        for (int t = 0; t < 200; t++)
        {
            env.ReadState(state);
            source.Build(state, previous, observation);

            // then they are the simulator's, bit for bit, and the model acts on them as the exported policy does.
            Assert.Equal(env.Observation.ToArray(), observation);
            observation.CopyTo(onnx.Observation, 0);
            onnx.Run();
            Assert.Equal(policy.ActDeterministic(observation, 1)[0], onnx.Actions[0], 1e-5f);
            previous[0] = onnx.Actions[0];
            env.Step(previous);
        }

        Assert.Equal(task.PolicyContract.Hash, contract.Hash);
        var sincos = Assert.Single(contract.Observations, o => o.Kind == ObservationKinds.JointAnglesSinCos);
        Assert.Equal(["hinge"], sincos.Names);
        Assert.Equal(2, sincos.Size);
        Assert.Equal(5, onnx.ObservationSize);
    }
}
