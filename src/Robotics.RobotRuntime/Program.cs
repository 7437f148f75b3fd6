using System.CommandLine;
using Robotics.RobotRuntime;

var root = new RootCommand("robotics-runtime: runs an exported policy on a robot at a fixed rate (run), checks a model and a robot's contract (check), measures this machine (bench).")
{
    RunVerb.Create(),
    CheckVerb.Create(),
    BenchVerb.Create(),
};
return root.Parse(args).Invoke();
