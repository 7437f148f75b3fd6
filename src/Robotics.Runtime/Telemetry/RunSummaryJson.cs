using System.Text.Json;
using System.Text.Json.Serialization;

namespace Robotics.Runtime.Telemetry;

/// <summary>The run summary as JSON, generated at compile time so that the NativeAOT robot program writes it too.</summary>
public static class RunSummaryJson
{
    public static string Serialize(RunSummary summary) => JsonSerializer.Serialize(summary, RunSummaryJsonContext.Default.RunSummary);
}

[JsonSourceGenerationOptions(WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunSummaryJsonContext : JsonSerializerContext;
