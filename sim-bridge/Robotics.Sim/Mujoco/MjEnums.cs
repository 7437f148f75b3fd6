namespace Robotics.Sim.Mujoco;

/// <summary>Object types (mjtObj), values as in MuJoCo 2.2.2.</summary>
public enum MjtObj
{
    Unknown = 0,
    Body,
    XBody,
    Joint,
    Dof,
    Geom,
    Site,
    Camera,
    Light,
    Mesh,
    Skin,
    HField,
    Texture,
    Material,
    Pair,
    Exclude,
    Equality,
    Tendon,
    Actuator,
    Sensor,
    Numeric,
    Text,
    Tuple,
    Key,
}

/// <summary>Warning counters kept in mjData (mjtWarning).</summary>
public enum MjtWarning
{
    Inertia = 0,
    ContactFull,
    ConstraintFull,
    VGeomFull,
    BadQpos,
    BadQvel,
    BadQacc,
    BadCtrl,
}

/// <summary>Joint types (mjtJoint).</summary>
public enum MjtJoint
{
    Free = 0,
    Ball,
    Slide,
    Hinge,
}

/// <summary>Actuator transmission types (mjtTrn).</summary>
public enum MjtTrn
{
    Joint = 0,
    JointInParent,
    SliderCrank,
    Tendon,
    Site,
    Body,
    Undefined = 1000,
}

/// <summary>Actuator gain types (mjtGain).</summary>
public enum MjtGain
{
    Fixed = 0,
    Affine,
    Muscle,
    User,
}

/// <summary>Actuator bias types (mjtBias).</summary>
public enum MjtBias
{
    None = 0,
    Affine,
    Muscle,
    User,
}

/// <summary>Geom types (mjtGeom), values as in MuJoCo 2.2.2.</summary>
public enum MjtGeom
{
    Plane = 0,
    HField,
    Sphere,
    Capsule,
    Ellipsoid,
    Cylinder,
    Box,
    Mesh,
}
