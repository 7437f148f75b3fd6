using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>--json</c> as every verb offers it: a report (a benchmark's) is one indented document; a record (an evaluation,
/// a bridge's status) is one object on one line, so that a line-oriented tool can read them one by one. Field names
/// are the properties' or the dictionaries' keys, unchanged: scripts and docs rely on them.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Converters = { new NonFiniteAsNull() } };
    private static readonly JsonSerializerOptions OneLine = new() { Converters = { new NonFiniteAsNull() } };

    /// <summary>The --json option; <paramref name="description"/> says what comes out.</summary>
    public static Option<bool> Option(string description = "print the report as JSON") => new("--json") { Description = description };

    /// <summary>A whole report, indented.</summary>
    public static string Report<T>(T report) => JsonSerializer.Serialize(report, Indented);

    /// <summary>One record on one line.</summary>
    public static string Line<T>(T record) => JsonSerializer.Serialize(record, OneLine);

    /// <summary>
    /// A figure with nothing to measure (NaN: no request of that kind in a trace, no episode of that kind) or an
    /// infinity is written as null, which JSON has, rather than failing the whole report.
    /// </summary>
    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    /// <summary>Prints <paramref name="report"/> as JSON when <paramref name="json"/>, else as <paramref name="text"/> writes it.</summary>
    public static void Print<T>(bool json, T report, Func<T, string> text) => Console.WriteLine(json ? Report(report) : text(report));
}
