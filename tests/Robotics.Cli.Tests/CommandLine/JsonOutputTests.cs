using Robotics.Cli.Commands;

namespace Robotics.Cli.Tests.CommandLine;

/// <summary>--json writes what it always wrote: scripts and docs read these bytes.</summary>
public sealed class JsonOutputTests
{
    private sealed record SerialReport(int BaudRate, double P99Micros, bool MeetsGoal);

    [Fact]
    public void A_report_is_one_indented_document_with_the_property_names_unchanged()
    {
        var json = JsonOutput.Report(new SerialReport(921600, 412.5, true));

        Assert.Equal("{\n  \"BaudRate\": 921600,\n  \"P99Micros\": 412.5,\n  \"MeetsGoal\": true\n}", json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_bridge_status_record_is_one_line_with_its_keys_unchanged()
    {
        // What 'robotics bridges status --json' prints for a bridge that does not answer.
        var record = new Dictionary<string, object?> { ["endpoint"] = "tcp://10.0.0.2:5555", ["answering"] = false, ["error"] = "no answer within 3 s" };

        Assert.Equal("{\"endpoint\":\"tcp://10.0.0.2:5555\",\"answering\":false,\"error\":\"no answer within 3 s\"}", JsonOutput.Line(record));
    }

    [Fact]
    public void A_figure_with_nothing_to_measure_is_null_rather_than_a_failed_report()
    {
        // A trace cell in which the trainer never waited has no median of that wait (NaN); JSON has no NaN.
        var json = JsonOutput.Report(new SerialReport(921600, double.NaN, false));
        var record = new Dictionary<string, object?> { ["wait_ms"] = double.PositiveInfinity, ["period_ms"] = 16.5, ["p95"] = (double?)double.NaN };

        Assert.Contains("\"P99Micros\": null", json);
        Assert.Equal("{\"wait_ms\":null,\"period_ms\":16.5,\"p95\":null}", JsonOutput.Line(record));
    }

    [Fact]
    public void The_option_is_json_with_the_verbs_description()
    {
        var option = JsonOutput.Option("one JSON object per bridge, one per line");

        Assert.Equal("--json", option.Name);
        Assert.Equal("one JSON object per bridge, one per line", option.Description);
        Assert.Equal("print the report as JSON", JsonOutput.Option().Description);
    }
}
