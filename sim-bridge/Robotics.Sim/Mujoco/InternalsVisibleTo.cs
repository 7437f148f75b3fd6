using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Robotics.Sim.Tests")]
