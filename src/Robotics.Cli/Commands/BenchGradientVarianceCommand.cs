using System.CommandLine;
using System.Globalization;
using Robotics.Training.Algorithms.Reinforce;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench gradient-variance</c>: the variance of the policy-gradient estimate of a fixed policy for
/// REINFORCE without a baseline, with a learned baseline, and with GAE advantages, on batches of the same size.
/// </summary>
internal static class BenchGradientVarianceCommand
{
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var task = new Option<string>("--task") { Description = "task from configs/tasks", DefaultValueFactory = _ => "cartpole-swingup" };
        var envs = new Option<int>("--envs") { Description = "environments stepped together", DefaultValueFactory = _ => 8 };
        var rolloutSteps = new Option<int>("--rollout-steps") { Description = "steps per environment in one batch", DefaultValueFactory = _ => 256 };
        var batches = new Option<int>("--batches") { Description = "independent batches whose gradients are compared", DefaultValueFactory = _ => 32 };
        var fitBatches = new Option<int>("--fit-batches") { Description = "batches spent fitting the value network first", DefaultValueFactory = _ => 20 };
        var gamma = new Option<double>("--gamma") { Description = "discount factor", DefaultValueFactory = _ => 0.99 };
        var lambda = new Option<double>("--gae-lambda") { Description = "GAE's lambda", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<int>("--seed") { Description = "seeds the policy, the value network and the environments", DefaultValueFactory = _ => 1 };
        var command = new Command("gradient-variance",
            "Variance of the policy-gradient estimate: REINFORCE without and with a baseline, and GAE, same batch sizes.")
        {
            json, task, envs, rolloutSteps, batches, fitBatches, gamma, lambda, seed,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            var options = new GradientVarianceOptions
            {
                RolloutSteps = CliErrors.Positive(parse.GetValue(rolloutSteps), "--rollout-steps"),
                Batches = Math.Max(2, CliErrors.Positive(parse.GetValue(batches), "--batches")),
                FitBatches = CliErrors.Positive(parse.GetValue(fitBatches), "--fit-batches"),
                Gamma = parse.GetValue(gamma),
                GaeLambda = parse.GetValue(lambda),
                Seed = parse.GetValue(seed),
            };
            string taskName = parse.GetValue(task)!;
            int numEnvs = CliErrors.Positive(parse.GetValue(envs), "--envs");
            var config = new TrainingConfig { Task = taskName, Algorithm = "reinforce", NumEnvs = numEnvs };
            using var source = SimEnvironmentSource.ForTask(taskName, threads: 1);
            using var env = source.CreateTraining(numEnvs);
            bool asJson = parse.GetValue(json);
            var rows = GradientVariance.Measure(env, config, options, asJson ? null : line => Console.Error.WriteLine(line));
            var report = new Report(taskName, numEnvs, options.RolloutSteps, numEnvs * options.RolloutSteps, options.Batches, options.FitBatches,
                options.Gamma, options.GaeLambda, options.Seed, rows);
            JsonOutput.Print(asJson, report, Format);
            return 0;
        }));
        return command;
    }

    public sealed record Report(
        string Task, int Envs, int RolloutSteps, int BatchSize, int Batches, int FitBatches, double Gamma, double GaeLambda, int Seed,
        IReadOnlyList<GradientVarianceRow> Estimators);

    private static string Format(Report r)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{r.Task}: {r.Batches} batches of {r.BatchSize} samples ({r.Envs} envs x {r.RolloutSteps} steps), gamma {r.Gamma}, lambda {r.GaeLambda}, seed {r.Seed}"),
            $"{"estimator",-20} {"tr Cov[g]",12} {"|E g|^2",12} {"noise/signal",13} {"weight std",11}",
        };
        foreach (var row in r.Estimators)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{row.Estimator,-20} {row.TraceCovariance,12:G4} {row.MeanGradientNormSquared,12:G4} {row.NoiseToSignal,13:F2} {row.WeightStd,11:G4}"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
