using System.Globalization;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tasks;

namespace Robotics.SimBridge.Tests.Fakes;

/// <summary>Serves <see cref="ToyVectorEnv"/> for the task "toy"; any other task name fails as an unknown task would.</summary>
public sealed class ToyEnvFactory : IBridgeEnvFactory
{
    public int Threads => 1;

    public List<MakeRequest> Requests { get; } = new();

    public IHostedEnv Create(MakeRequest request, int numEnvs)
    {
        Requests.Add(request);
        if (request.Task != "toy")
        {
            throw new TaskRefusedException($"unknown task '{request.Task}'; known tasks: toy");
        }

        return new ToyHostedEnv(new ToyVectorEnv(numEnvs));
    }

    private sealed class ToyHostedEnv(ToyVectorEnv env) : IHostedEnv, IRandomizationControl
    {
        public IVectorEnv Env => env;
        public IRandomizationControl? Randomization => this;

        /// <summary>Accepts exactly "start_offset: NUMBER".</summary>
        public void Apply(string yaml)
        {
            var parts = yaml.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0] != "start_offset" ||
                !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float offset))
            {
                throw new FormatException($"expected 'start_offset: NUMBER', got '{yaml}'");
            }

            env.StartOffset = offset;
        }

        public string CurrentYaml() => $"start_offset: {env.StartOffset.ToString(CultureInfo.InvariantCulture)}";

        public IReadOnlyDictionary<string, double> SampleOf(int i) =>
            new Dictionary<string, double> { ["start_offset"] = env.StartOffset, ["env"] = i };

        public void Dispose() => env.Dispose();
    }
}
