using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Tests.Mujoco;

public sealed class MjModelTests
{
    [Fact]
    public void Humanoid_loads_with_the_documented_counts()
    {
        using var model = MjModel.LoadXml(TestModels.Humanoid);

        Assert.Equal(21, model.Nu);
        Assert.Equal(28, model.Nq); // free joint (7) + 21 hinges
        Assert.Equal(27, model.Nv);
        Assert.Equal(model.Nbody, model.BodyMass.Length);
        Assert.Equal(model.Nbody * 3, model.BodyInertia.Length);
        Assert.Equal(model.Nu * 10, model.ActuatorGainprm.Length);
        Assert.Equal(model.Njnt * 2, model.JntRange.Length);
        Assert.Equal((int)MjtJoint.Free, model.JntType[0]);
        Assert.Equal(0.005, model.Timestep, 12);
        Assert.Equal(-9.81, model.Gravity[2], 12);
    }

    [Fact]
    public void Names_and_ids_round_trip()
    {
        using var model = MjModel.LoadXml(TestModels.Humanoid);

        for (int body = 0; body < model.Nbody; body++)
        {
            string? name = model.IdToName(MjtObj.Body, body);
            Assert.NotNull(name);
            Assert.Equal(body, model.NameToId(MjtObj.Body, name));
        }
        int torso = model.NameToId(MjtObj.Body, "torso");
        Assert.Equal("torso", model.IdToName(MjtObj.Body, torso));
        Assert.Equal(-1, model.NameToId(MjtObj.Joint, "no_such_joint"));
        Assert.Null(model.IdToName(MjtObj.Body, model.Nbody + 5));
    }

    [Fact]
    public void Malformed_xml_reports_MuJoCos_parser_message_with_the_line()
    {
        string path = TestModels.WriteTemp("<mujoco>\n  <worldbody>\n    <body name=\"a\">\n      <geom type=\"sphere\" size=\"0.1\"/>\n    </bodyy>\n  </worldbody>\n</mujoco>\n");

        var error = Assert.Throws<MujocoException>(() => MjModel.LoadXml(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("XML_ERROR_MISMATCHED_ELEMENT", error.Message);
        Assert.Contains("Line number=", error.Message);
    }

    [Fact]
    public void Invalid_attribute_reports_the_element_and_line()
    {
        string path = TestModels.WriteTemp("<mujoco>\n  <worldbody>\n    <geom type=\"sphere\" size=\"abc\"/>\n  </worldbody>\n</mujoco>\n");

        var error = Assert.Throws<MujocoException>(() => MjModel.LoadXml(path));

        Assert.Contains("problem reading attribute 'size'", error.Message);
        Assert.Contains("Element 'geom', line 3", error.Message);
    }

    [Fact]
    public void Unknown_element_reports_the_schema_violation_with_the_line()
    {
        string path = TestModels.WriteTemp("<mujoco>\n  <worldbody>\n    <gizmo/>\n  </worldbody>\n</mujoco>\n");

        var error = Assert.Throws<MujocoException>(() => MjModel.LoadXml(path));

        Assert.Contains("gizmo", error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Missing_file_gives_a_clear_error()
    {
        var error = Assert.Throws<MujocoException>(() => MjModel.LoadXml("/nonexistent/robot.xml"));

        Assert.Contains("not found", error.Message);
        Assert.Contains("/nonexistent/robot.xml", error.Message);
    }

    [Fact]
    public void Clone_is_independent_of_the_original()
    {
        using var original = MjModel.LoadXml(TestModels.Humanoid);
        using var clone = original.Clone();
        double nominal = original.BodyMass[1];

        clone.BodyMass[1] = nominal * 3;
        clone.Gravity[2] = -1;
        clone.Timestep = 0.001;

        Assert.Equal(nominal, original.BodyMass[1]);
        Assert.Equal(-9.81, original.Gravity[2], 12);
        Assert.Equal(0.005, original.Timestep, 12);
        Assert.Equal(nominal * 3, clone.BodyMass[1]);
    }

    [Fact]
    public void SetConst_recomputes_subtree_mass_after_a_mass_change()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var data = new MjData(model);
        int cart = model.NameToId(MjtObj.Body, "cart");
        int pole = model.NameToId(MjtObj.Body, "pole");
        Assert.Equal(1.2, model.BodySubtreemass[cart], 9);

        model.BodyMass[pole] = 0.7;
        model.SetConst(data);

        Assert.Equal(1.7, model.BodySubtreemass[cart], 9);
        Assert.Equal(1.7, model.BodySubtreemass[0], 9);
    }

    [Fact]
    public void SetConst_rejects_data_of_another_model()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        using var other = model.Clone();
        using var data = new MjData(other);

        Assert.Throws<ArgumentException>(() => model.SetConst(data));
    }

    [Fact]
    public void Disposed_model_throws_ObjectDisposedException()
    {
        var model = MjModel.LoadXml(TestModels.CartPolePath());
        model.Dispose();

        Assert.True(model.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => model.Nq);
        Assert.Throws<ObjectDisposedException>(() => model.BodyMass.Length);
        Assert.Throws<ObjectDisposedException>(() => model.Clone());
        model.Dispose(); // twice is fine
    }

    [Fact]
    public void Cartpole_actuator_arrays_describe_a_motor_and_a_position_servo()
    {
        using var model = MjModel.LoadXml(TestModels.CartPolePath());
        int servo = model.NameToId(MjtObj.Actuator, "servo");
        int hinge = model.NameToId(MjtObj.Joint, "hinge");

        Assert.Equal(hinge, model.ActuatorTrnid[servo * 2]);
        Assert.Equal((int)MjtBias.Affine, model.ActuatorBiastype[servo]);
        Assert.Equal(5, model.ActuatorGainprm[servo * 10]);
        Assert.Equal(-5, model.ActuatorBiasprm[servo * 10 + 1]);
        Assert.Equal(1, model.ActuatorCtrllimited[servo]);
        Assert.Equal(1, model.JntLimited[model.NameToId(MjtObj.Joint, "slider")]);
        Assert.Equal(0.5, model.DofDamping[model.JntDofadr[model.NameToId(MjtObj.Joint, "slider")]], 12);
        Assert.Equal(4, model.Nsensordata);
        Assert.Equal(3, model.SensorDim[model.NameToId(MjtObj.Sensor, "tip_pos")]);
    }
}
