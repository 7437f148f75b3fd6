using Robotics.Contract;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Randomization;

namespace Robotics.Sim.Tests.Randomization;

public sealed class PhysicsRandomizationTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Mass_scales_stay_in_range_over_1000_resets_and_nothing_compounds()
    {
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(new RandomRange(0.5, 2)) };
        using var env = new RandomizerFixture(config);
        double[] nominalMass = env.Nominal.BodyMass.ToArray();
        double[] nominalInertia = env.Nominal.BodyInertia.ToArray();
        double[] nominalSubtree = env.Nominal.BodySubtreemass.ToArray();
        var rng = new Random(1);
        double smallest = double.MaxValue, largest = 0;

        for (int reset = 0; reset < 1000; reset++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            for (int body = 1; body < env.Model.Nbody; body++)
            {
                double ratio = env.Model.BodyMass[body] / nominalMass[body];
                Assert.InRange(ratio, 0.5, 2);
                for (int axis = 0; axis < 3; axis++)
                    Assert.Equal(ratio, env.Model.BodyInertia[body * 3 + axis] / nominalInertia[body * 3 + axis], 9);
                smallest = Math.Min(smallest, ratio);
                largest = Math.Max(largest, ratio);
            }
        }
        Assert.True(smallest < 0.55 && largest > 1.95, $"the samples should cover the range, got [{smallest}, {largest}]");

        env.Randomizer.Config = new RandomizationConfig();
        env.Randomizer.OnReset(env.Data, rng);

        Assert.Equal(nominalMass, env.Model.BodyMass.ToArray());
        Assert.Equal(nominalInertia, env.Model.BodyInertia.ToArray());
        Assert.Equal(nominalSubtree, env.Model.BodySubtreemass.ToArray());
        Assert.Equal(nominalMass, env.Nominal.BodyMass.ToArray());
    }

    [Fact]
    public void Reset_recomputes_derived_quantities_and_leaves_data_reset()
    {
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(RandomRange.Fixed(2)) };
        using var env = new RandomizerFixture(config);
        env.Data.Qpos[1] = 0.4;
        env.Data.Step();

        env.Randomizer.OnReset(env.Data, new Random(2));

        int cart = env.Id(MjtObj.Body, "cart");
        Assert.Equal(2 * 1.2, env.Model.BodySubtreemass[cart], 9);
        Assert.Equal(0, env.Data.Time);
        Assert.Equal(0, env.Data.Qpos[1]);
    }

    [Fact]
    public void Listed_bodies_only_are_scaled()
    {
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(new RandomRange(1.5, 2), ["pole"]) };
        using var env = new RandomizerFixture(config);

        env.Randomizer.OnReset(env.Data, new Random(3));

        int cart = env.Id(MjtObj.Body, "cart"), pole = env.Id(MjtObj.Body, "pole");
        Assert.Equal(env.Nominal.BodyMass[cart], env.Model.BodyMass[cart]);
        Assert.InRange(env.Model.BodyMass[pole] / env.Nominal.BodyMass[pole], 1.5, 2);
        Assert.Equal(["action_latency_steps", "body_mass/pole"], env.Randomizer.LastSample.Values.Keys.Order());
    }

    [Fact]
    public void Friction_damping_armature_gain_gravity_and_com_ranges_are_honoured()
    {
        var config = new RandomizationConfig
        {
            GeomFriction = new ScaleRandomization(new RandomRange(0.5, 1.5)),
            JointDamping = new ScaleRandomization(new RandomRange(0.8, 1.2)),
            JointArmature = new ScaleRandomization(new RandomRange(0.1, 0.2)),
            ActuatorGain = new ScaleRandomization(new RandomRange(0.7, 0.9)),
            Gravity = new GravityRandomization(
                new AxisRanges(RandomRange.Fixed(1), RandomRange.Fixed(1), new RandomRange(0.9, 1.1)),
                new AxisRanges(new RandomRange(-0.5, 0.5), RandomRange.Fixed(0), RandomRange.Fixed(0))),
            ComOffset = new ComOffsetRandomization(
                new AxisRanges(new RandomRange(-0.01, 0.01), RandomRange.Fixed(0), new RandomRange(0.02, 0.03)), ["pole"]),
        };
        using var env = new RandomizerFixture(config);
        MjModel nominal = env.Nominal, model = env.Model;
        int pole = env.Id(MjtObj.Body, "pole");
        var rng = new Random(4);

        for (int reset = 0; reset < 200; reset++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            for (int geom = 0; geom < model.Ngeom; geom++)
            {
                Assert.InRange(model.GeomFriction[geom * 3] / nominal.GeomFriction[geom * 3], 0.5, 1.5);
                Assert.Equal(nominal.GeomFriction[geom * 3 + 1], model.GeomFriction[geom * 3 + 1]);
            }
            for (int dof = 0; dof < model.Nv; dof++)
            {
                Assert.InRange(model.DofDamping[dof] / nominal.DofDamping[dof], 0.8 - Tolerance, 1.2 + Tolerance);
                Assert.InRange(model.DofArmature[dof] / nominal.DofArmature[dof], 0.1 - Tolerance, 0.2 + Tolerance);
            }
            for (int actuator = 0; actuator < model.Nu; actuator++)
                Assert.InRange(model.ActuatorGainprm[actuator * 10] / nominal.ActuatorGainprm[actuator * 10], 0.7 - Tolerance, 0.9 + Tolerance);
            Assert.InRange(model.Gravity[0], -0.5, 0.5);
            Assert.Equal(0, model.Gravity[1]);
            Assert.InRange(model.Gravity[2], -9.81 * 1.1, -9.81 * 0.9);
            Assert.InRange(model.BodyIpos[pole * 3] - nominal.BodyIpos[pole * 3], -0.01 - Tolerance, 0.01 + Tolerance);
            Assert.Equal(nominal.BodyIpos[pole * 3 + 1], model.BodyIpos[pole * 3 + 1]);
            Assert.InRange(model.BodyIpos[pole * 3 + 2] - nominal.BodyIpos[pole * 3 + 2], 0.02 - Tolerance, 0.03 + Tolerance);
        }
    }

    [Fact]
    public void Joint_scales_reach_every_dof_of_free_and_ball_joints()
    {
        const string xml = """
            <mujoco>
              <worldbody>
                <geom name="floor" type="plane" size="5 5 0.1"/>
                <body name="base" pos="0 0 1">
                  <joint name="root" type="free" armature="0.1" damping="0.2"/>
                  <geom type="sphere" size="0.1" mass="1"/>
                  <body name="arm" pos="0 0 -0.2">
                    <joint name="shoulder" type="ball" armature="0.03" damping="0.4"/>
                    <geom type="capsule" fromto="0 0 0 0 0 -0.3" size="0.03" mass="0.3"/>
                  </body>
                </body>
              </worldbody>
            </mujoco>
            """;
        var config = new RandomizationConfig
        {
            JointArmature = new ScaleRandomization(RandomRange.Fixed(2)),
            JointDamping = new ScaleRandomization(RandomRange.Fixed(3), ["shoulder"]),
        };
        using var env = new RandomizerFixture(config, xml);

        env.Randomizer.OnReset(env.Data, new Random(9));
        for (int step = 0; step < 50; step++)
            env.Data.Step();

        Assert.Equal(9, env.Model.Nv);
        for (int dof = 0; dof < env.Model.Nv; dof++)
        {
            Assert.True(env.Nominal.DofArmature[dof] > 0);
            Assert.Equal(2 * env.Nominal.DofArmature[dof], env.Model.DofArmature[dof], 12);
            double dampingScale = dof < 6 ? 1 : 3;
            Assert.Equal(dampingScale * env.Nominal.DofDamping[dof], env.Model.DofDamping[dof], 12);
        }
        Assert.False(env.Data.IsUnstable);
    }

    [Fact]
    public void Humanoid_steps_stably_under_randomized_physics()
    {
        using var nominal = MjModel.LoadXml(Mujoco.TestModels.Humanoid);
        using var model = nominal.Clone();
        using var data = new MjData(model);
        var config = RandomizationConfig.ParseYaml("""
            body_mass: {scale: [0.8, 1.2]}
            geom_friction: {scale: [0.5, 1.5]}
            joint_damping: {scale: [0.8, 1.2]}
            actuator_gain: {scale: [0.9, 1.1]}
            gravity: {offset: {x: [-0.3, 0.3]}}
            com_offset: {x: [-0.02, 0.02], bodies: [torso]}
            push: {force: [50, 100], interval: [0.1, 0.2], duration: 0.05, bodies: [torso]}
            """, "humanoid.yaml");
        var randomizer = new DomainRandomizer(nominal, model, config);
        var rng = new Random(10);

        for (int episode = 0; episode < 3; episode++)
        {
            randomizer.OnReset(data, rng);
            for (int step = 0; step < 60; step++)
            {
                randomizer.BeforeControlStep(data, 0.01, rng);
                data.Step();
                data.Step();
                Assert.False(data.IsUnstable);
            }
        }
        Assert.True(randomizer.PushCount > 0);
    }

    [Fact]
    public void Position_servo_bias_follows_its_gain()
    {
        var config = new RandomizationConfig { ActuatorGain = new ScaleRandomization(new RandomRange(0.5, 2)) };
        using var env = new RandomizerFixture(config);
        int servo = env.Id(MjtObj.Actuator, "servo"), motor = env.Id(MjtObj.Actuator, "push");
        var rng = new Random(5);

        for (int reset = 0; reset < 20; reset++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            Assert.Equal(-env.Model.ActuatorGainprm[servo * 10], env.Model.ActuatorBiasprm[servo * 10 + 1], 12);
            Assert.Equal(env.Nominal.ActuatorBiasprm.Slice(motor * 10, 10).ToArray(), env.Model.ActuatorBiasprm.Slice(motor * 10, 10).ToArray());
        }
    }

    [Fact]
    public void Common_scale_moves_every_target_together_times_its_own_draw()
    {
        var config = new RandomizationConfig
        {
            BodyMass = new ScaleRandomization(RandomRange.Fixed(1), [], new RandomRange(0.5, 2)),
            ActuatorGain = new ScaleRandomization(new RandomRange(0.9, 1.1), [], RandomRange.Fixed(0.8)),
        };
        using var env = new RandomizerFixture(config);
        int cart = env.Id(MjtObj.Body, "cart"), pole = env.Id(MjtObj.Body, "pole");
        int servo = env.Id(MjtObj.Actuator, "servo"), motor = env.Id(MjtObj.Actuator, "push");
        var rng = new Random(11);
        var commons = new HashSet<double>();

        for (int reset = 0; reset < 50; reset++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            var values = env.Randomizer.LastSample.Values;
            double common = values["body_mass@common"];
            commons.Add(common);
            Assert.InRange(common, 0.5, 2);
            // The own scale is fixed at 1: both bodies carry exactly the shared factor.
            Assert.Equal(common, env.Model.BodyMass[cart] / env.Nominal.BodyMass[cart], 12);
            Assert.Equal(common, env.Model.BodyMass[pole] / env.Nominal.BodyMass[pole], 12);
            Assert.Equal(0.8, values["actuator_gain@common"]);
            foreach (int actuator in new[] { servo, motor })
                Assert.InRange(env.Model.ActuatorGainprm[actuator * 10] / env.Nominal.ActuatorGainprm[actuator * 10], 0.8 * 0.9 - 1e-12, 0.8 * 1.1 + 1e-12);
            Assert.Equal(-env.Model.ActuatorGainprm[servo * 10], env.Model.ActuatorBiasprm[servo * 10 + 1], 12);
        }
        Assert.True(commons.Count > 40, "the shared factor is drawn again at every reset");
    }

    [Fact]
    public void Without_common_scale_each_target_draws_its_own_factor_and_nothing_more()
    {
        // The draws of a config without common_scale are those of before it existed: one per body, in body order.
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(new RandomRange(0.5, 2)) };
        using var env = new RandomizerFixture(config);
        env.Randomizer.OnReset(env.Data, new Random(3));

        var expected = new Random(3);
        var range = new RandomRange(0.5, 2);
        for (int body = 1; body < env.Model.Nbody; body++)
            Assert.Equal(range.Sample(expected), env.Model.BodyMass[body] / env.Nominal.BodyMass[body], 12);
        Assert.DoesNotContain("body_mass@common", env.Randomizer.LastSample.Values.Keys);
    }

    [Fact]
    public void Sample_read_back_equals_what_is_in_the_model()
    {
        var config = new RandomizationConfig
        {
            BodyMass = new ScaleRandomization(new RandomRange(0.5, 2)),
            GeomFriction = new ScaleRandomization(new RandomRange(0.5, 1.5), ["floor"]),
            JointDamping = new ScaleRandomization(new RandomRange(0.5, 1.5), ["slider"]),
            JointArmature = new ScaleRandomization(new RandomRange(0.5, 1.5), ["hinge"]),
            ActuatorGain = new ScaleRandomization(new RandomRange(0.5, 1.5), ["servo"]),
            Gravity = new GravityRandomization(AxisRanges.One, new AxisRanges(new RandomRange(-1, 1), new RandomRange(-1, 1), new RandomRange(-1, 1))),
            ComOffset = new ComOffsetRandomization(new AxisRanges(new RandomRange(-0.1, 0.1), new RandomRange(-0.1, 0.1), new RandomRange(-0.1, 0.1)), ["cart"]),
            ActionLatencySteps = new IntRange(1, 3),
        };
        using var env = new RandomizerFixture(config);
        env.Randomizer.OnReset(env.Data, new Random(6));
        IReadOnlyDictionary<string, double> values = env.Randomizer.LastSample.Values;
        MjModel model = env.Model;
        int cart = env.Id(MjtObj.Body, "cart"), pole = env.Id(MjtObj.Body, "pole");

        Assert.Equal(model.BodyMass[cart], values["body_mass/cart"]);
        Assert.Equal(model.BodyMass[pole], values["body_mass/pole"]);
        Assert.Equal(model.GeomFriction[env.Id(MjtObj.Geom, "floor") * 3], values["geom_friction/floor"]);
        Assert.Equal(model.DofDamping[model.JntDofadr[env.Id(MjtObj.Joint, "slider")]], values["joint_damping/slider"]);
        Assert.Equal(model.DofArmature[model.JntDofadr[env.Id(MjtObj.Joint, "hinge")]], values["joint_armature/hinge"]);
        Assert.Equal(model.ActuatorGainprm[env.Id(MjtObj.Actuator, "servo") * 10], values["actuator_gain/servo"]);
        Assert.Equal(model.Gravity[0], values["gravity/x"]);
        Assert.Equal(model.Gravity[1], values["gravity/y"]);
        Assert.Equal(model.Gravity[2], values["gravity/z"]);
        for (int axis = 0; axis < 3; axis++)
            Assert.Equal(model.BodyIpos[cart * 3 + axis] - env.Nominal.BodyIpos[cart * 3 + axis], values[$"com_offset/cart/{"xyz"[axis]}"], 12);
        Assert.Equal(env.Randomizer.LastSample.ActionLatencySteps, values["action_latency_steps"]);
        Assert.InRange(env.Randomizer.LastSample.ActionLatencySteps, 1, 3);
        Assert.Equal(13, values.Count); // 2 masses, friction, damping, armature, gain, 3 gravity, 3 com, latency
    }

    [Fact]
    public void Same_seed_gives_the_same_episode_physics()
    {
        var config = new RandomizationConfig
        {
            BodyMass = new ScaleRandomization(new RandomRange(0.5, 2)),
            GeomFriction = new ScaleRandomization(new RandomRange(0.5, 1.5)),
            ActionLatencySteps = new IntRange(0, 4),
        };
        using var first = new RandomizerFixture(config);
        using var second = new RandomizerFixture(config);
        Random rngA = new(7), rngB = new(7);

        for (int reset = 0; reset < 5; reset++)
        {
            first.Randomizer.OnReset(first.Data, rngA);
            second.Randomizer.OnReset(second.Data, rngB);
            Assert.Equal(first.Randomizer.LastSample.Values, second.Randomizer.LastSample.Values);
        }
    }

    [Fact]
    public void A_changed_config_applies_from_the_next_reset()
    {
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(RandomRange.Fixed(1.1)) };
        using var env = new RandomizerFixture(config);
        int pole = env.Id(MjtObj.Body, "pole");
        env.Randomizer.OnReset(env.Data, new Random(8));
        Assert.Equal(env.Nominal.BodyMass[pole] * 1.1, env.Model.BodyMass[pole], 12);

        config.BodyMass = new ScaleRandomization(RandomRange.Fixed(1.5));
        env.Randomizer.OnReset(env.Data, new Random(8));

        Assert.Equal(env.Nominal.BodyMass[pole] * 1.5, env.Model.BodyMass[pole], 12);
    }

    [Fact]
    public void Unknown_target_name_is_a_config_error_naming_the_key()
    {
        var config = new RandomizationConfig { BodyMass = new ScaleRandomization(new RandomRange(0.5, 2), ["torso"]) };

        var error = Assert.Throws<ConfigException>(() => new RandomizerFixture(config));

        Assert.Equal("randomization.body_mass.bodies", error.Key);
        Assert.Contains("'torso'", error.Message);
        Assert.Contains("pole", error.Message);
    }

    [Fact]
    public void Validate_checks_names_against_a_model_and_names_the_file()
    {
        using var model = MjModel.LoadXml(Mujoco.TestModels.CartPolePath());
        var config = RandomizationConfig.ParseYaml("push: {force: 1, interval: 1, duration: 0.1, bodies: [pole, mast]}", "tasks/balance.yaml");

        var error = Assert.Throws<ConfigException>(() => config.Validate(model, "tasks/balance.yaml"));

        Assert.Equal("tasks/balance.yaml", error.File);
        Assert.Equal("randomization.push.bodies", error.Key);
        Assert.Contains("'mast'", error.Problem);
        RandomizationConfig.ParseYaml("push: {force: 1, interval: 1, duration: 0.1, bodies: [pole]}", "ok.yaml").Validate(model, "ok.yaml");
    }

    [Fact]
    public void Config_set_while_running_is_checked_before_use()
    {
        using var env = new RandomizerFixture(new RandomizationConfig());

        Assert.Throws<ConfigException>(() => env.Randomizer.Config = new RandomizationConfig
        {
            JointDamping = new ScaleRandomization(RandomRange.Fixed(2), ["elbow"]),
        });
        Assert.Throws<ConfigException>(() => env.Randomizer.Config = new RandomizationConfig { ObservationNoiseStd = -1 });
        Assert.True(env.Randomizer.Config.IsOff);
    }

    [Fact]
    public void The_nominal_model_cannot_be_the_environment_model()
    {
        using var model = MjModel.LoadXml(Mujoco.TestModels.CartPolePath());

        Assert.Throws<ArgumentException>(() => new DomainRandomizer(model, model, new RandomizationConfig()));
    }
}
