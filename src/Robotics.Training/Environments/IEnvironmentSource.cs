using Robotics.Contract.Environments;

namespace Robotics.Training.Environments;

/// <summary>
/// Where the runner gets its environments: in-process, local bridges it started, or remote bridges.
/// It also decides which failures mean "the environment died" (a bridge crashed or stopped answering)
/// and how to replace it.
/// </summary>
public interface IEnvironmentSource : IDisposable
{
    /// <summary>A short description for the log (e.g. "2 local bridges, 16 environments").</summary>
    string Description { get; }

    IVectorEnv CreateTraining(int numEnvs);

    /// <summary>
    /// As <see cref="CreateTraining(int)"/>, but where some of several workers (bridges) do not answer, goes on with
    /// those that do and takes the others in later (<see cref="Rejoin"/>). A resumed run starts this way.
    /// </summary>
    IVectorEnv CreateTrainingWithSurvivors(int numEnvs) => CreateTraining(numEnvs);

    /// <summary>
    /// When workers dropped earlier answer again, a new training vector over all that answer (the caller disposes
    /// <paramref name="current"/> and resets the new one); null when nothing changed. Environment i is seeded the same
    /// way whichever workers serve it, so the runner calls this where it reseeds anyway.
    /// </summary>
    IVectorEnv? Rejoin(IVectorEnv current, int numEnvs) => null;

    IVectorEnv CreateEvaluation(int numEnvs);

    /// <summary>True when <paramref name="error"/> thrown by a step means the environment is gone and should be replaced.</summary>
    bool IsEnvironmentFailure(Exception error);

    /// <summary>Disposes the failed environment and returns a working one of the same shape (restarting local bridges).</summary>
    IVectorEnv Replace(IVectorEnv failed, int numEnvs);
}

/// <summary>Environments made in-process by a factory; a failure of one is a bug, never replaced.</summary>
public sealed class InProcessEnvironmentSource : IEnvironmentSource
{
    private readonly Func<int, IVectorEnv> make;
    private readonly Func<int, IVectorEnv> makeEvaluation;

    /// <param name="makeEvaluation">Evaluation environments, when they are made otherwise than training ones (not grouped).</param>
    public InProcessEnvironmentSource(string description, Func<int, IVectorEnv> make, Func<int, IVectorEnv>? makeEvaluation = null)
    {
        Description = description;
        this.make = make;
        this.makeEvaluation = makeEvaluation ?? make;
    }

    public string Description { get; }
    public IVectorEnv CreateTraining(int numEnvs) => make(numEnvs);
    public IVectorEnv CreateEvaluation(int numEnvs) => makeEvaluation(numEnvs);
    public bool IsEnvironmentFailure(Exception error) => false;

    public IVectorEnv Replace(IVectorEnv failed, int numEnvs)
    {
        failed.Dispose();
        return make(numEnvs);
    }

    public void Dispose()
    {
    }
}
