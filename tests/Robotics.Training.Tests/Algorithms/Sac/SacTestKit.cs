using System.Globalization;
using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Algorithms.Sac;

/// <summary>A one-line summary of SAC's metrics for SAC tests.</summary>
internal static class SacTestKit
{
    public static string Summary(MetricRecord m) => string.Create(CultureInfo.InvariantCulture,
        $"update {m.GetOrNaN("iteration"),5:F0}  steps {m.GetOrNaN("charts/global_step"),7:F0}  " +
        $"return {m.GetOrNaN("charts/episode_return_mean"),7:F1}  eval {m.GetOrNaN("eval/return_mean"),7:F1}  " +
        $"qf {m.GetOrNaN("losses/qf_loss"),8:F3}  q1 {m.GetOrNaN("q/qf1_mean"),7:F2}  alpha {m.GetOrNaN("losses/alpha"),6:F3}  " +
        $"entropy {m.GetOrNaN("losses/entropy"),6:F2}  wall {m.GetOrNaN("perf/wall_seconds"),6:F1}  sps {m.GetOrNaN("charts/sps"),6:F0}");
}
