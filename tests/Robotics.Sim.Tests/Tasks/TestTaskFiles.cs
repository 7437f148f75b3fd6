using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Tasks;

/// <summary>Robot and task files written to a temporary folder for one test, removed afterwards.</summary>
internal sealed class TestTaskFiles : IDisposable
{
    /// <summary>
    /// A 1 kg block on two slides (x, z) and a hinge (pitch), with no gravity, contacts or damping, so
    /// velocities set at reset stay constant. Site "a" sits 0.1 m along the block's x axis; site "b" is fixed in the world.
    /// </summary>
    public const string ProbeMjcf = """
        <mujoco model="probe">
          <size njmax="20" nconmax="5" nstack="20000"/>
          <option timestep="0.01" gravity="0 0 0">
            <flag contact="disable"/>
          </option>
          <worldbody>
            <site name="b" pos="0.5 0 1"/>
            <body name="block" pos="0 0 1">
              <joint name="x" type="slide" axis="1 0 0"/>
              <joint name="z" type="slide" axis="0 0 1"/>
              <joint name="pitch" type="hinge" axis="0 1 0"/>
              <geom type="box" size="0.1 0.1 0.1" mass="1"/>
              <site name="a" pos="0.1 0 0"/>
            </body>
          </worldbody>
          <actuator>
            <motor name="push" joint="x" ctrllimited="true" ctrlrange="-2 2"/>
            <motor name="turn" joint="pitch" ctrllimited="true" ctrlrange="-1 1"/>
          </actuator>
        </mujoco>
        """;

    public const string ProbeRobot = """
        name: probe
        mjcf: probe.xml
        control_rate_hz: 50
        physics_decimation: 2
        joint_defaults: { velocity: 100, effort: 10 }
        joints:
          - { name: x, position: [-1, 1] }
          - { name: pitch, position: unlimited }
        actuators:
          - { name: push, joint: x, mode: effort, command: [-2, 2] }
          - { name: turn, joint: pitch, mode: effort, command: [-1, 1] }
        """;

    public TestTaskFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "robotics-task-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "robots"));
        Directory.CreateDirectory(Path.Combine(Root, "tasks"));
        WriteRobot("probe", ProbeMjcf, ProbeRobot);
    }

    public string Root { get; }

    public string WriteRobot(string name, string mjcf, string yaml)
    {
        File.WriteAllText(Path.Combine(Root, "robots", name + ".xml"), mjcf);
        string path = Path.Combine(Root, "robots", name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public string WriteTask(string name, string yaml)
    {
        string path = Path.Combine(Root, "tasks", name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public LoadedTask Load(string name, string yaml) => TaskCatalog.Load(WriteTask(name, yaml));

    /// <summary>A probe task: the given sections after "robot: probe".</summary>
    public LoadedTask Probe(string sections, int maxSteps = 100) =>
        Load("probe-" + Guid.NewGuid().ToString("N")[..8], $"robot: probe\nmax_episode_steps: {maxSteps}\n{sections}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
