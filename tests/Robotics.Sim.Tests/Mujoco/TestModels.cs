using System.Security.Cryptography;
using System.Text;

namespace Robotics.Sim.Tests.Mujoco;

/// <summary>Models the MuJoCo tests load: Debian's samples and small MJCF written into temp files.</summary>
internal static class TestModels
{
    public const string Humanoid = "/usr/share/mujoco/model/humanoid/humanoid.xml";

    /// <summary>A cart on a rail with a hinged pole, a position servo and a motor, a site and sensors.</summary>
    public const string CartPoleXml = """
        <mujoco model="test_cartpole">
          <option timestep="0.01" gravity="0 0 -9.81"/>
          <worldbody>
            <geom name="floor" type="plane" size="5 5 0.1" friction="1 0.005 0.0001"/>
            <body name="cart" pos="0 0 0.5">
              <joint name="slider" type="slide" axis="1 0 0" range="-2 2" limited="true" damping="0.5" armature="0.1"/>
              <geom name="cart_geom" type="box" size="0.2 0.1 0.05" mass="1"/>
              <body name="pole" pos="0 0 0">
                <joint name="hinge" type="hinge" axis="0 1 0" damping="0.05" armature="0.01"/>
                <geom name="pole_geom" type="capsule" fromto="0 0 0 0 0 0.6" size="0.04" mass="0.2"/>
                <site name="tip" pos="0 0 0.6"/>
              </body>
            </body>
          </worldbody>
          <actuator>
            <motor name="push" joint="slider" gear="10" ctrlrange="-1 1" ctrllimited="true"/>
            <position name="servo" joint="hinge" kp="5" ctrlrange="-1 1" ctrllimited="true"/>
          </actuator>
          <sensor>
            <jointpos name="pole_angle" joint="hinge"/>
            <framepos name="tip_pos" objtype="site" objname="tip"/>
          </sensor>
        </mujoco>
        """;

    /// <summary>
    /// Writes <paramref name="xml"/> to a temp file named after its content (so repeated runs reuse it
    /// instead of piling up files) and returns its path.
    /// </summary>
    public static string WriteTemp(string xml, string name = "model.xml")
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name + "\n" + xml)))[..16];
        string directory = Path.Combine(Path.GetTempPath(), "robotics-sim-tests", hash);
        string path = Path.Combine(directory, name);
        if (File.Exists(path) && File.ReadAllText(path) == xml)
            return path;
        Directory.CreateDirectory(directory);
        string partial = Path.Combine(directory, $"{Guid.NewGuid():N}.tmp");
        File.WriteAllText(partial, xml);
        File.Move(partial, path, overwrite: true); // atomic: tests running in parallel never see half a file
        return path;
    }

    public static string CartPolePath() => WriteTemp(CartPoleXml, "cartpole.xml");
}
