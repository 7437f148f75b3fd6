using Robotics.Contract;
using Robotics.Training.Checkpoints;
using TorchSharp;

namespace Robotics.Training.Export;

/// <summary><c>robotics export</c>: a run folder or checkpoint to a checked ONNX file.</summary>
public static class CheckpointExport
{
    /// <summary>
    /// Loads the checkpoint (a run folder's best, else its final policy, else its last, else its newest numbered
    /// one: <see cref="CheckpointFiles.Resolve"/>), and exports its deterministic policy, checked against both the
    /// algorithm's own TorchSharp network and the plain C# forward pass.
    /// </summary>
    /// <param name="note">Receives a line for each damaged checkpoint passed over and for an unchecked old one.</param>
    public static ExportReport Run(string runDirOrCheckpoint, string outPath, Action<string>? note = null)
    {
        var path = CheckpointFiles.Resolve(runDirOrCheckpoint, note);
        var (header, _, algorithm) = CheckpointFiles.Load(path, torch.CPU, note);
        using (algorithm)
        {
            var policy = algorithm.ToExportable(PolicyContract.FromJson(header.ContractJson), header.RunName, header.Counters.EnvSteps);
            return OnnxExporter.Export(policy, outPath, new Dictionary<string, PolicyForward>
            {
                [$"{algorithm.Name} TorchSharp"] = algorithm.ActDeterministic,
            });
        }
    }
}
