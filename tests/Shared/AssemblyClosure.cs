using System.Reflection;

namespace Robotics.Testing;

/// <summary>The names of every assembly a program's assembly references, directly or transitively.</summary>
public static class AssemblyClosure
{
    public static HashSet<string> Of(Assembly root)
    {
        var seen = new HashSet<string>();
        var pending = new Queue<AssemblyName>([root.GetName()]);
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!seen.Add(name.Name!)) continue;
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue; // a framework facade not present as a file: its name is in the set, its references are not needed
            }

            foreach (var reference in assembly.GetReferencedAssemblies()) pending.Enqueue(reference);
        }

        return seen;
    }
}
