using System.Globalization;
using Robotics.Runtime.Policy;
using Robotics.Training.Policies;

namespace Robotics.Training.Export;

/// <summary>A forward pass to check an export against: row-major [batch, obs_dim] in, [batch, act_dim] commands out.</summary>
public delegate float[] PolicyForward(float[] observations, int batch);

/// <summary>What was exported and how closely ONNX Runtime reproduced the reference.</summary>
public sealed record ExportReport(
    string Path,
    long Bytes,
    int Samples,
    IReadOnlyList<ExportComparison> Comparisons,
    PolicyMetadata Metadata);

/// <summary>
/// Largest difference between ONNX Runtime and one reference forward pass, and where it was.
/// <see cref="MaxAbsDifference"/> is in action units: the command difference divided by the action
/// scale where that scale exceeds 1 (float32 rounding grows with the size of the commands, so an
/// effort actuator scaled to 150 N·m is held to 1e-5 of its half-range, not to 1e-5 N·m).
/// <see cref="MaxCommandDifference"/> is the raw difference in the robot's units.
/// </summary>
public sealed record ExportComparison(string Reference, double MaxAbsDifference, int Row, int Action, double MaxCommandDifference);

/// <summary>
/// Writes a policy to ONNX only after ONNX Runtime, running the new bytes, reproduces the reference
/// forward passes on random and extreme observations within the tolerance; the file is written
/// atomically, so a refused or interrupted export leaves any previous file untouched.
/// </summary>
public static class OnnxExporter
{
    public const double DefaultTolerance = 1e-5;

    /// <param name="policy">The deterministic policy.</param>
    /// <param name="outPath">Where to write the model.</param>
    /// <param name="references">
    /// Forward passes to compare with, by name (for example the TorchSharp network). The plain C#
    /// forward of <paramref name="policy"/> is always one of them.
    /// </param>
    public static ExportReport Export(
        ExportablePolicy policy,
        string outPath,
        IReadOnlyDictionary<string, PolicyForward>? references = null,
        int samples = ExportCheckSamples.DefaultCount,
        double tolerance = DefaultTolerance,
        int seed = 0)
    {
        byte[] model;
        try
        {
            model = PolicyGraphBuilder.Build(policy, PolicyGraphBuilder.ProjectVersion);
        }
        catch (InvalidDataException e)
        {
            throw new OnnxExportException($"the policy cannot be exported: {e.Message}", e);
        }

        var all = new Dictionary<string, PolicyForward> { ["reference"] = policy.ActDeterministic };
        if (references is not null)
        {
            foreach (var (name, forward) in references) all[name] = forward;
        }

        var comparisons = Check(model, policy, all, samples, seed);
        foreach (var c in comparisons)
        {
            if (!(c.MaxAbsDifference <= tolerance))
                throw new OnnxExportException(string.Create(CultureInfo.InvariantCulture,
                    $"export refused: ONNX Runtime differs from the {c.Reference} policy by {c.MaxAbsDifference:G6} in action units (at observation {c.Row}, action {c.Action}; {c.MaxCommandDifference:G6} in robot units), more than the tolerance {tolerance:G3}; nothing was written to {outPath}"));
        }

        WriteAtomically(outPath, model);
        var metadata = new PolicyMetadata(policy.Contract, policy.Algorithm, policy.RunName, policy.Step, PolicyGraphBuilder.ProjectVersion);
        return new ExportReport(Path.GetFullPath(outPath), model.LongLength, samples, comparisons, metadata);
    }

    /// <summary>Runs <paramref name="model"/> in ONNX Runtime and compares it with each reference on the same observations.</summary>
    public static IReadOnlyList<ExportComparison> Check(
        byte[] model,
        ExportablePolicy policy,
        IReadOnlyDictionary<string, PolicyForward> references,
        int samples = ExportCheckSamples.DefaultCount,
        int seed = 0)
    {
        var observations = ExportCheckSamples.Create(policy, samples, seed);
        float[] onnx;
        try
        {
            using var session = OnnxPolicy.Load(model, "exported model", samples);
            observations.CopyTo(session.Observation, 0);
            session.Run();
            onnx = (float[])session.Actions.Clone();
        }
        catch (PolicyLoadException e)
        {
            throw new OnnxExportException($"export refused: ONNX Runtime cannot use the exported model: {e.Message}", e);
        }

        var result = new List<ExportComparison>();
        foreach (var (name, forward) in references)
        {
            var expected = forward(observations, samples);
            result.Add(Compare(name, onnx, expected, policy.Contract.ActionScale));
        }

        return result;
    }

    private static ExportComparison Compare(string name, float[] actual, float[] expected, IReadOnlyList<double> scale)
    {
        int actions = scale.Count;
        if (actual.Length != expected.Length)
            return new ExportComparison(name, double.PositiveInfinity, 0, 0, double.PositiveInfinity);
        double worst = 0, worstCommand = 0;
        int at = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d)) d = double.PositiveInfinity;
            worstCommand = Math.Max(worstCommand, d);
            d /= Math.Max(1.0, Math.Abs(scale[i % actions]));
            if (d > worst) { worst = d; at = i; }
        }

        return new ExportComparison(name, worst, at / actions, at % actions, worstCommand);
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
