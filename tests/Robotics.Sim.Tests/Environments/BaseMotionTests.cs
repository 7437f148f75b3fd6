using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Environments;

public sealed class BaseMotionTests
{
    [Fact]
    public void A_base_turned_left_and_moving_along_world_x_moves_to_its_right_and_turns_as_set()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("quadruped-walk"), randomize: false);
        env.Reset(0);
        var data = env.Data;
        // The free joint: position (3), orientation quaternion (4); velocity: linear (3, world), angular (3, body).
        double half = Math.PI / 4;                   // a yaw of 90 degrees
        data.Qpos[2] = 0.3;
        data.Qpos[3] = Math.Cos(half);
        data.Qpos[4] = 0;
        data.Qpos[5] = 0;
        data.Qpos[6] = Math.Sin(half);
        data.Qvel.Clear();
        data.Qvel[0] = 0.5;                          // along world x, which is the base's right
        data.Qvel[5] = 0.25;                         // yaw rate about the base's z (vertical here)
        data.Forward();

        var motion = BaseMotion.Of(env.Model, data, BaseMotion.RootBody);

        Assert.Equal(0, motion.Forward, 6);
        Assert.Equal(-0.5, motion.Sideways, 6);
        Assert.Equal(0.25, motion.YawRate, 6);
        Assert.Equal(0.3, motion.Height, 6);
        Assert.Equal(0, motion.Tilt, 6);
    }

    [Fact]
    public void A_base_rolled_by_a_quarter_turn_reports_that_tilt()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("quadruped-walk"), randomize: false);
        env.Reset(0);
        var data = env.Data;
        double half = Math.PI / 8;                   // a roll of 45 degrees
        data.Qpos[3] = Math.Cos(half);
        data.Qpos[4] = Math.Sin(half);
        data.Qpos[5] = 0;
        data.Qpos[6] = 0;
        data.Qvel.Clear();
        data.Forward();

        Assert.Equal(Math.PI / 4, BaseMotion.Of(env.Model, data, BaseMotion.RootBody).Tilt, 6);
    }
}
