using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Runtime.Policy;
using Robotics.Training.Export;
using Robotics.Training.Policies;

namespace Robotics.Training.Tests.Export;

public sealed class OnnxPolicyEvaluatorExportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-eval-onnx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Exported_model_earns_the_same_returns_as_the_reference_policy_on_the_same_seed()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [16], seed: 4);
        var path = Path.Combine(directory, "policy.onnx");
        OnnxExporter.Export(policy, path);

        var onnx = OnnxPolicyEvaluator.Run(path, new ScriptedEnv(policy.Contract), seed: 9);
        var reference = ReferenceEvaluation(policy, new ScriptedEnv(policy.Contract), seed: 9);

        Assert.Equal(3, onnx.Episodes);
        Assert.Equal(reference, onnx.MeanReturn, 4);
    }

    [Fact]
    public void A_model_for_another_task_is_refused_naming_the_difference()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [8]);
        var path = Path.Combine(directory, "policy.onnx");
        OnnxExporter.Export(policy, path);
        var otherTask = policy.Contract with { Task = "walk" };

        var error = Assert.Throws<ContractMismatchException>(() => OnnxPolicyEvaluator.Run(path, new ScriptedEnv(otherTask), seed: 0));

        Assert.Contains("task 'balance' vs 'walk'", error.Message);
    }

    private static double ReferenceEvaluation(ExportablePolicy policy, ScriptedEnv env, int seed)
    {
        var step = VectorStep.For(env.Spec);
        env.Reset(seed, step);
        var returns = new double?[env.Spec.NumEnvs];
        for (int t = 0; t < 100 && returns.Any(r => r is null); t++)
        {
            env.Step(policy.ActDeterministic(step.Observations, env.Spec.NumEnvs), step);
            foreach (var e in step.Episodes) returns[e.Env] ??= e.Return;
        }

        return returns.Average(r => r!.Value);
    }

    /// <summary>Three environments whose observations are a seeded function of time and whose reward is the sum of the commands.</summary>
    private sealed class ScriptedEnv(PolicyContract contract) : IVectorEnv
    {
        private readonly int[] time = new int[3];
        private readonly double[] returns = new double[3];
        private int seed;

        public EnvSpec Spec { get; } = new(3, contract.ObservationSize, contract.ActionSize, [-1, -5], [1, 5], contract, 0.02, 20);

        public void Reset(int seed, VectorStep into)
        {
            this.seed = seed;
            Array.Clear(time);
            Array.Clear(returns);
            for (int e = 0; e < 3; e++) Observe(e, into);
        }

        public void Step(ReadOnlySpan<float> actions, VectorStep into)
        {
            into.Episodes.Clear();
            for (int e = 0; e < 3; e++)
            {
                float reward = actions[e * 2] + actions[e * 2 + 1];
                returns[e] += reward;
                time[e]++;
                into.Rewards[e] = reward;
                if (time[e] == 5 + e)
                {
                    into.Episodes.Add(new EpisodeRecord(e, returns[e], time[e], false, true));
                    time[e] = 0;
                    returns[e] = 0;
                }

                Observe(e, into);
            }
        }

        private void Observe(int e, VectorStep into)
        {
            var obs = into.ObservationOf(e);
            for (int i = 0; i < obs.Length; i++) obs[i] = MathF.Sin(seed + e * 7 + time[e] * 0.3f + i);
        }

        public void Dispose()
        {
        }
    }
}
