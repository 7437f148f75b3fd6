using System.Diagnostics;
using Robotics.Contract.Environments;
using Robotics.Contract.Timing;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>What <see cref="UpdateBenchmark"/> measures: updates timed per gradient path, after warm-up updates.</summary>
public sealed record UpdateBenchmarkOptions
{
    public int Updates { get; init; } = 20;
    public int WarmupUpdates { get; init; } = 3;
    public IReadOnlyList<string> Gradients { get; init; } = ["autograd", "analytic"];
}

/// <summary>
/// Median times of one PPO update with one way of computing the minibatch gradient: collecting the rollout, and
/// learning from it split into the minibatch gradients, the clipping and Adam steps, and the rest. Throughputs are
/// environment steps per second of the median update; <see cref="FractionOfBridge"/> is the training throughput
/// over <see cref="BridgeResult.StepsPerSecond"/>, the environments stepped alone.
/// </summary>
public sealed record UpdateTiming(
    string Gradients, int Updates, double MinibatchSteps, double CollectMs, double EnvWaitMs, double LearnMs, double GradientMs, double OptimizerMs, double OtherMs,
    double GradientMicrosecondsPerStep, double OptimizerMicrosecondsPerStep, double LearnShare,
    double CollectStepsPerSecond, double TrainingStepsPerSecond, double FractionOfBridge);

/// <summary>
/// The same environments stepped as fast as they go, with uniformly random actions in the action range and
/// nothing else: no policy, no storage, no learning. Median over rollouts of the benchmark's length.
/// </summary>
public sealed record BridgeResult(double RolloutMs, double StepsPerSecond);

/// <summary>What <see cref="UpdateBenchmark.Measure"/> found: the environments alone, then each gradient path.</summary>
public sealed record UpdateBenchmarkResult(BridgeResult Bridge, IReadOnlyList<UpdateTiming> Timings);

/// <summary>
/// PPO updates as a training run makes them (collect a rollout, learn from it; no evaluations or checkpoints),
/// once per gradient path, the paths taking turns update by update so that both see the same machine. Each
/// path has its own environments and networks from the same seed.
/// </summary>
public static class UpdateBenchmark
{
    public static UpdateBenchmarkResult Measure(TrainingConfig config, IEnvironmentSource source, UpdateBenchmarkOptions options, Action<string>? progress = null)
    {
        if (config.Algorithm != "ppo")
            throw new TrainingSetupException($"the update benchmark times PPO updates; the config names algorithm '{config.Algorithm}': pass a *-ppo.yaml config");
        torch.set_num_threads(config.TorchThreads);
        var device = TrainingDevice.Resolve(config.Device);
        var runs = new List<(string Gradients, IVectorEnv Env, PpoAlgorithm Ppo, List<MetricRecord> Timed)>();
        IVectorEnv? alone = null;
        try
        {
            alone = source.CreateTraining(config.NumEnvs);
            var stepping = new SteppingAlone(alone, config.Seed);
            var rolloutSeconds = new List<double>();
            foreach (var gradients in options.Gradients)
            {
                var env = source.CreateTraining(config.NumEnvs);
                torch.manual_seed(config.Seed);
                var ppo = new PpoAlgorithm(config.WithOptions(config.Options<PpoOptions>() with { Gradients = gradients }), env.Spec, device);
                ppo.ResetEnvironments(env, config.Seed);
                runs.Add((gradients, env, ppo, new List<MetricRecord>()));
            }

            for (int update = 0; update < options.WarmupUpdates + options.Updates; update++)
            {
                double seconds = stepping.Rollout(config.Options<PpoOptions>().RolloutSteps);
                if (update >= options.WarmupUpdates) rolloutSeconds.Add(seconds);
                foreach (var run in runs)
                {
                    var metrics = Update(run.Ppo, run.Env, (double)update / (options.WarmupUpdates + options.Updates));
                    if (update >= options.WarmupUpdates) run.Timed.Add(metrics);
                }

                progress?.Invoke($"update {update + 1} of {options.WarmupUpdates + options.Updates}" + (update < options.WarmupUpdates ? " (warm-up)" : ""));
            }

            int batch = config.NumEnvs * config.Options<PpoOptions>().RolloutSteps;
            double rollout = Medians.Of(rolloutSeconds);
            var bridge = new BridgeResult(rollout * 1e3, batch / rollout);
            return new UpdateBenchmarkResult(bridge, runs.Select(r => Summarize(r.Gradients, r.Timed, batch, bridge.StepsPerSecond)).ToList());
        }
        finally
        {
            alone?.Dispose();
            foreach (var run in runs)
            {
                run.Ppo.Dispose();
                run.Env.Dispose();
            }
        }
    }

    private static MetricRecord Update(PpoAlgorithm ppo, IVectorEnv env, double progress)
    {
        var metrics = new MetricRecord();
        long start = Stopwatch.GetTimestamp();
        ppo.Collect(env, new List<EpisodeRecord>(), metrics);
        long collected = Stopwatch.GetTimestamp();
        if (!ppo.Learn(progress, metrics, out string? nonFinite))
            throw new InvalidOperationException($"an update was skipped: {nonFinite} is not finite");
        metrics["perf/collect_seconds"] = Stopwatch.GetElapsedTime(start, collected).TotalSeconds;
        metrics["perf/learn_seconds"] = Stopwatch.GetElapsedTime(collected).TotalSeconds;
        return metrics;
    }

    private static UpdateTiming Summarize(string gradients, List<MetricRecord> timed, int batch, double bridgeStepsPerSecond)
    {
        double Median(Func<MetricRecord, double> pick) => Medians.Of(timed.Select(pick));

        double collect = Median(m => m["perf/collect_seconds"]) * 1e3;
        double envWait = Median(m => m["perf/env_wait_seconds"]) * 1e3;
        double learn = Median(m => m["perf/learn_seconds"]) * 1e3;
        double gradient = Median(m => m["perf/learn_gradient_seconds"]) * 1e3;
        double optimizer = Median(m => m["perf/learn_optimizer_seconds"]) * 1e3;
        double other = Median(m => m["perf/learn_seconds"] - m["perf/learn_gradient_seconds"] - m["perf/learn_optimizer_seconds"]) * 1e3;
        double steps = Median(m => m["losses/minibatches"]);
        double training = batch / ((collect + learn) / 1e3);
        return new UpdateTiming(gradients, timed.Count, steps, collect, envWait, learn, gradient, optimizer, other,
            gradient * 1e3 / steps, optimizer * 1e3 / steps, learn / (learn + collect),
            batch / (collect / 1e3), training, training / bridgeStepsPerSecond);
    }

    /// <summary>Environments stepped with random actions in their range, one rollout at a time.</summary>
    private sealed class SteppingAlone
    {
        private readonly IVectorEnv env;
        private readonly VectorStep step;
        private readonly Random random;

        public SteppingAlone(IVectorEnv env, int seed)
        {
            this.env = env;
            var spec = env.Spec;
            step = VectorStep.For(spec);
            random = new Random(seed);
            env.Reset(seed, step);
        }

        /// <summary>Seconds for <paramref name="steps"/> steps of every environment; actions are drawn before the clock starts.</summary>
        public double Rollout(int steps)
        {
            var spec = env.Spec;
            var all = new float[steps][];
            for (int t = 0; t < steps; t++)
            {
                all[t] = new float[spec.NumEnvs * spec.ActionSize];
                for (int i = 0; i < all[t].Length; i++)
                {
                    int a = i % spec.ActionSize;
                    all[t][i] = spec.ActionLow[a] + (float)random.NextDouble() * (spec.ActionHigh[a] - spec.ActionLow[a]);
                }
            }

            long start = Stopwatch.GetTimestamp();
            for (int t = 0; t < steps; t++) env.Step(all[t], step);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }
}
