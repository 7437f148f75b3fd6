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

    public static string Summary(MetricRecord m) => string.Create(CultureInfo.InvariantCulture,
        $"update {m.GetOrNaN("iteration"),5:F0}  steps {m.GetOrNaN("charts/global_step"),9:F0}  " +
        $"return {m.GetOrNaN("charts/episode_return_mean"),8:F2}  eval {m.GetOrNaN("eval/return_mean"),8:F2}  " +
        $"kl {m.GetOrNaN("losses/approx_kl"),7:F4}  clip {m.GetOrNaN("losses/clipfrac"),5:F3}  " +
        $"ev {m.GetOrNaN("losses/explained_variance"),6:F3}  logstd {m.GetOrNaN("policy/log_std_mean"),6:F2}  sps {m.GetOrNaN("charts/sps"),6:F0}");

    private sealed class PlainReporter(TextWriter output) : IProgressReporter
    {
        public void Update(long steps, MetricRecord record) => output.WriteLine(Summary(record));
        public void Message(string text) => output.WriteLine(text);
    }

    /// <summary>The few numbers that fit beside a progress bar.</summary>
    public static string Compact(MetricRecord m) => string.Create(CultureInfo.InvariantCulture,
        $"return {m.GetOrNaN("charts/episode_return_mean"),7:F1}  kl {m.GetOrNaN("losses/approx_kl"),6:F4}  sps {m.GetOrNaN("charts/sps"),5:F0}");

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
