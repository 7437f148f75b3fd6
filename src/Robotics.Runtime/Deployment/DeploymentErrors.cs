using Robotics.Contract.CommandLine;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Deployment;

/// <summary>The user-facing errors of a deployment: a model that cannot be used, the wrong robot, a link that fails.</summary>
public static class DeploymentErrors
{
    /// <summary><see cref="UserErrors.Common"/> and the runtime's own: what robotics-runtime reports as one line.</summary>
    public static UserErrors Known { get; } = UserErrors.Common
        .With<PolicyLoadException>()
        .With<ContractMismatchException>()
        .With<RobotLinkException>();
}
