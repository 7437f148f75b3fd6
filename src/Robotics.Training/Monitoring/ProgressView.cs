using System.Globalization;
using Spectre.Console;

namespace Robotics.Training.Monitoring;

/// <summary>
/// The live terminal view of a run: a progress bar with the key numbers when the output is a terminal,
/// one plain line per update otherwise (logs, CI).
/// </summary>
public sealed class ProgressView
{
    private readonly string mode;
    private readonly TextWriter plain;

    public ProgressView(string mode, TextWriter? plain = null)
    {
        this.mode = mode;
        this.plain = plain ?? Console.Out;
    }

    public bool Live => mode switch
    {
        "always" => true,
        "never" => false,
        _ => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive,
    };

    /// <summary>Runs <paramref name="body"/>, giving it a reporter (steps done, record) and a message writer.</summary>
    public void Run(long totalSteps, long startSteps, Action<IProgressReporter> body)
    {
        if (!Live)
        {
            body(new PlainReporter(plain));
            return;
        }

        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: totalSteps);
                task.Value = startSteps;
                body(new LiveReporter(task));
            });
    }

    public static string Summary(MetricRecord m) =>
        $"update {Value(m, "iteration", 5, "F0")}  steps {Value(m, "charts/global_step", 9, "F0")}  " +
        $"return {Value(m, "charts/episode_return_mean", 8, "F2")}  eval {Value(m, "eval/return_mean", 8, "F2")}  " +
        $"kl {Value(m, "losses/approx_kl", 7, "F4")}  clip {Value(m, "losses/clipfrac", 5, "F3")}  " +
        $"ev {Value(m, "losses/explained_variance", 6, "F3")}  logstd {Value(m, "policy/log_std_mean", 6, "F2")}  sps {Value(m, "charts/sps", 6, "F0")}";

    // A metric the update did not produce (no episode ended, or the algorithm has no such figure) shows as "-".
    private static string Value(MetricRecord m, string name, int width, string format)
    {
        double v = m.GetOrNaN(name);
        return (double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture)).PadLeft(width);
    }

    private sealed class PlainReporter(TextWriter output) : IProgressReporter
    {
        public void Update(long steps, MetricRecord record) => output.WriteLine(Summary(record));
        public void Message(string text) => output.WriteLine(text);
    }

    /// <summary>The few numbers that fit beside a progress bar.</summary>
    public static string Compact(MetricRecord m) =>
        $"return {Value(m, "charts/episode_return_mean", 7, "F1")}  kl {Value(m, "losses/approx_kl", 6, "F4")}  sps {Value(m, "charts/sps", 5, "F0")}";

    private sealed class LiveReporter(ProgressTask task) : IProgressReporter
    {
        public void Update(long steps, MetricRecord record)
        {
            task.Value = Math.Min(steps, task.MaxValue);
            task.Description = Markup.Escape(Compact(record));
            // Evaluations leave a line above the bar, so the history stays on screen.
            if (!double.IsNaN(record.GetOrNaN("eval/return_mean"))) AnsiConsole.WriteLine(Summary(record));
        }

        public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
    }
}

/// <summary>What the runner tells the terminal.</summary>
public interface IProgressReporter
{
    void Update(long steps, MetricRecord record);
    void Message(string text);
}
