namespace Robotics.Training.Policies;

/// <summary>The forward pass of an <see cref="ExportablePolicy"/> in plain C# (float arithmetic, double accumulation).</summary>
internal static class ExportablePolicyMath
{
    public static float[] Act(ExportablePolicy policy, float[] obsBatch, int batch)
    {
        int obsSize = policy.ObservationSize;
        if (obsBatch.Length != batch * obsSize)
            throw new ArgumentException($"expected {batch} x {obsSize} = {batch * obsSize} observation values, got {obsBatch.Length}", nameof(obsBatch));

        var contract = policy.Contract;
        int actSize = policy.ActionSize;
        var result = new float[batch * actSize];
        var input = new float[obsSize];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < obsSize; i++)
            {
                float z = (obsBatch[b * obsSize + i] - policy.ObsMean[i]) / MathF.Sqrt(policy.ObsVar[i] + policy.ObsEpsilon);
                input[i] = Math.Clamp(z, -policy.ObsClip, policy.ObsClip);
            }

            var h = input;
            for (int l = 0; l < policy.Layers.Count; l++)
            {
                h = Dense(policy.Layers[l], h);
                if (l < policy.Layers.Count - 1) Activate(policy.Activation, h);
            }

            for (int j = 0; j < actSize; j++)
            {
                float a = policy.Squash switch
                {
                    "clip" => Math.Clamp(h[j], -1f, 1f),
                    "tanh" => MathF.Tanh(h[j]),
                    _ => throw new InvalidDataException($"unknown squash '{policy.Squash}': expected 'clip' or 'tanh'"),
                };
                double command = contract.ActionOffset[j] + contract.ActionScale[j] * a;
                var actuator = contract.Robot.Actuators[j];
                result[b * actSize + j] = (float)Math.Clamp(command, actuator.CommandMin, actuator.CommandMax);
            }
        }

        return result;
    }

    private static float[] Dense(DenseLayer layer, float[] x)
    {
        var y = new float[layer.Out];
        for (int o = 0; o < layer.Out; o++)
        {
            double sum = layer.Bias[o];
            int row = o * layer.In;
            for (int i = 0; i < layer.In; i++) sum += layer.Weight[row + i] * x[i];
            y[o] = (float)sum;
        }

        return y;
    }

    private static void Activate(string activation, float[] h)
    {
        for (int i = 0; i < h.Length; i++)
        {
            h[i] = activation switch
            {
                "tanh" => MathF.Tanh(h[i]),
                "relu" => MathF.Max(0f, h[i]),
                "elu" => h[i] > 0f ? h[i] : MathF.Exp(h[i]) - 1f,
                _ => throw new InvalidDataException($"unknown activation '{activation}': expected tanh, relu or elu"),
            };
        }
    }
}
