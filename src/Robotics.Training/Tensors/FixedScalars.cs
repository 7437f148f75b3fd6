using TorchSharp;

namespace Robotics.Training.Tensors;

/// <summary>
/// The fixed numbers that tensor code passes to libtorch, each made once as a <see cref="Scalar"/> and held for the
/// life of the process. A Scalar made implicitly from a number lives only in the expression that made it: the
/// finalizer may free it on another thread while the native call still reads it ("Unknown scalar type"), so the
/// build refuses that conversion (BannedSymbols.txt). Values that depend on options are made with
/// <c>using var s = value.ToScalar();</c> where they are used.
/// </summary>
public static class FixedScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
}
