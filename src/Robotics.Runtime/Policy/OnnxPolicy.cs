using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Robotics.Runtime.Policy;

/// <summary>
/// An exported policy loaded once into one ONNX Runtime session (one intra-op thread, sequential
/// execution). <see cref="Observation"/> and <see cref="Actions"/> are preallocated arrays that the
/// session reads and writes in place through bound OrtValues, so <see cref="Run"/> allocates nothing.
/// </summary>
public sealed class OnnxPolicy : Control.IControlPolicy, IDisposable
{
    private readonly InferenceSession session;
    private readonly OrtValue input;
    private readonly OrtValue output;
    private readonly OrtIoBinding binding;
    private readonly RunOptions runOptions;

    private OnnxPolicy(InferenceSession session, PolicyMetadata metadata, int batch)
    {
        this.session = session;
        Metadata = metadata;
        Batch = batch;
        ObservationSize = metadata.Contract.ObservationSize;
        ActionSize = metadata.Contract.ActionSize;
        Observation = new float[batch * ObservationSize];
        Actions = new float[batch * ActionSize];
        input = OrtValue.CreateTensorValueFromMemory(Observation, [batch, ObservationSize]);
        output = OrtValue.CreateTensorValueFromMemory(Actions, [batch, ActionSize]);
        runOptions = new RunOptions();
        binding = session.CreateIoBinding();
        binding.BindInput(PolicyMetadata.InputName, input);
        binding.BindOutput(PolicyMetadata.OutputName, output);
    }

    public PolicyMetadata Metadata { get; }

    /// <summary>Rows evaluated per <see cref="Run"/>.</summary>
    public int Batch { get; }

    public int ObservationSize { get; }
    public int ActionSize { get; }

    /// <summary>Raw observations, row-major [Batch, ObservationSize]; write them before <see cref="Run"/>.</summary>
    public float[] Observation { get; }

    /// <summary>Commands in the robot's units, row-major [Batch, ActionSize]; valid after <see cref="Run"/>.</summary>
    public float[] Actions { get; }

    /// <summary>Evaluates the policy on <see cref="Observation"/> into <see cref="Actions"/>.</summary>
    public void Run() => session.RunWithBinding(runOptions, binding);

    public static OnnxPolicy Load(string path, int batch = 1)
    {
        if (!File.Exists(path))
            throw new PolicyLoadException($"{path}: no such file. Pass the .onnx file written by 'robotics export'.");
        return Load(File.ReadAllBytes(path), path, batch);
    }

    /// <param name="model">The bytes of an ONNX model.</param>
    /// <param name="source">What to call the model in error messages (usually its path).</param>
    /// <param name="batch">Rows per call; the control loop uses 1.</param>
    public static OnnxPolicy Load(byte[] model, string source, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        InferenceSession session;
        using (var options = CreateOptions())
        {
            try
            {
                session = new InferenceSession(model, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new PolicyLoadException($"{source}: not an ONNX model ONNX Runtime can load ({FirstLine(e.Message)}). Export the policy again with 'robotics export'.", e);
            }
        }

        try
        {
            var metadata = PolicyMetadata.Parse(session.ModelMetadata.CustomMetadataMap, source, model);
            CheckPort(session.InputMetadata, PolicyMetadata.InputName, "input", metadata.Contract.ObservationSize, source);
            CheckPort(session.OutputMetadata, PolicyMetadata.OutputName, "output", metadata.Contract.ActionSize, source);
            if (metadata.Contract.ActionOffset.Count != metadata.Contract.ActionSize || metadata.Contract.ActionScale.Count != metadata.Contract.ActionSize)
                throw new PolicyLoadException($"{source}: the contract's action offset/scale have {metadata.Contract.ActionOffset.Count}/{metadata.Contract.ActionScale.Count} entries for {metadata.Contract.ActionSize} actuators.");
            return new OnnxPolicy(session, metadata, batch);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>One thread, sequential: inference must not compete with the control thread for cores.</summary>
    public static SessionOptions CreateOptions() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    private static void CheckPort(IReadOnlyDictionary<string, NodeMetadata> ports, string name, string kind, int size, string source)
    {
        if (!ports.TryGetValue(name, out var port))
            throw new PolicyLoadException($"{source}: the model has no {kind} named '{name}' (it has: {string.Join(", ", ports.Keys)}); it was not written by 'robotics export'.");
        if (!port.IsTensor || port.ElementDataType != TensorElementType.Float)
            throw new PolicyLoadException($"{source}: {kind} '{name}' must be a float32 tensor.");
        var dims = port.Dimensions;
        if (dims.Length != 2 || dims[1] != size)
            throw new PolicyLoadException($"{source}: {kind} '{name}' has shape [{string.Join(", ", dims)}] but the contract in its metadata needs [batch, {size}].");
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return end < 0 ? message : message[..end];
    }

    public void Dispose()
    {
        binding.Dispose();
        runOptions.Dispose();
        input.Dispose();
        output.Dispose();
        session.Dispose();
    }
}
