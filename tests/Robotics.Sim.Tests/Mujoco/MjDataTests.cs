using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Tests.Mujoco;

public sealed class MjDataTests
{
    [Fact]
    public void Humanoid_steps_and_falls_under_gravity()
    {
        using var model = MjModel.LoadXml(TestModels.Humanoid);
        using var data = new MjData(model);
        data.Forward();
        int torso = model.NameToId(MjtObj.Body, "torso");
        double startHeight = data.Xpos[torso * 3 + 2];

        for (int i = 0; i < 200; i++)
            data.Step();

        Assert.Equal(200 * model.Timestep, data.Time, 9);
        Assert.True(data.Xpos[torso * 3 + 2] < startHeight, "the torso should have dropped");
        Assert.False(data.IsUnstable);
        Assert.Equal(model.Nbody * 9, data.Xmat.Length);
        Assert.Equal(model.Nv, data.QfrcActuator.Length);
    }

    [Fact]
    public void Ctrl_drives_the_actuator_force()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        int push = model.NameToId(MjtObj.Actuator, "push");

        data.Ctrl[push] = 0.5;
        data.Step();

        Assert.Equal(0.5, data.ActuatorForce[push], 9); // in actuator units
        Assert.Equal(5.0, data.QfrcActuator[model.JntDofadr[model.NameToId(MjtObj.Joint, "slider")]], 9); // gear 10
        Assert.True(data.Qvel[0] > 0);
    }

    [Fact]
    public void Reset_restores_qpos0_and_time()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        data.Qpos[1] = 0.3;
        data.Step();

        data.Reset();

        Assert.Equal(0, data.Time);
        Assert.Equal(model.Qpos0.ToArray(), data.Qpos.ToArray());
        Assert.All(data.Qvel.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Sensors_and_sites_follow_the_state()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        int tip = model.NameToId(MjtObj.Site, "tip");
        int angleSensor = model.NameToId(MjtObj.Sensor, "pole_angle");
        int tipSensor = model.NameToId(MjtObj.Sensor, "tip_pos");

        data.Qpos[1] = 0.25;
        data.Forward();

        Assert.Equal(0.25, data.SensorData[model.SensorAdr[angleSensor]], 12);
        for (int axis = 0; axis < 3; axis++)
            Assert.Equal(data.SiteXpos[tip * 3 + axis], data.SensorData[model.SensorAdr[tipSensor] + axis], 12);
        Assert.Equal(0.6 * Math.Sin(0.25), data.SiteXpos[tip * 3], 9);
    }

    [Fact]
    public void Huge_velocity_is_reported_as_unstable_and_counted()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        long printedBefore = MujocoLibrary.WarningMessageCount;
        bool logBefore = File.Exists("MUJOCO_LOG.TXT");

        data.Qvel[1] = 1e12;
        data.Step();

        Assert.True(data.IsUnstable);
        Assert.Equal(1, data.WarningCount(MjtWarning.BadQvel));
        Assert.True(MujocoLibrary.WarningMessageCount > printedBefore, "the warning should reach the managed handler");
        Assert.Contains("Time =", MujocoLibrary.LastWarning);
        Assert.Equal(logBefore, File.Exists("MUJOCO_LOG.TXT")); // MuJoCo's own handler would append to it
        data.Reset();
        Assert.False(data.IsUnstable);
        Assert.Equal(0, data.WarningCount(MjtWarning.BadQvel));
    }

    [Fact]
    public void NaN_qpos_is_reported_as_unstable()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);

        data.Qpos[0] = double.NaN;

        Assert.True(data.IsUnstable);
        data.Step();
        Assert.True(data.IsUnstable);
        Assert.Equal(1, data.WarningCount(MjtWarning.BadQpos));
    }

    [Fact]
    public void ClearWarnings_zeroes_the_counters()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        data.Qvel[1] = double.PositiveInfinity;
        data.Step();
        Assert.True(data.WarningCount(MjtWarning.BadQvel) > 0);

        data.ClearWarnings();

        Assert.Equal(0, data.WarningCount(MjtWarning.BadQvel));
        Assert.False(data.IsUnstable); // MuJoCo already reset the state
    }

    [Fact]
    public void Disposed_data_throws_ObjectDisposedException()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        var data = new MjData(model);
        data.Dispose();

        Assert.Throws<ObjectDisposedException>(() => data.Step());
        Assert.Throws<ObjectDisposedException>(() => data.Qpos.Length);
    }

    [Fact]
    public void Data_of_a_disposed_model_throws_ObjectDisposedException()
    {
        var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => data.Step());
    }
}
