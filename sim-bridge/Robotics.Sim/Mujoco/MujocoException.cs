namespace Robotics.Sim.Mujoco;

/// <summary>MuJoCo could not be loaded, is the wrong version, or rejected a model.</summary>
public sealed class MujocoException : Exception
{
    public MujocoException(string message) : base(message) { }

    public MujocoException(string message, Exception inner) : base(message, inner) { }
}
