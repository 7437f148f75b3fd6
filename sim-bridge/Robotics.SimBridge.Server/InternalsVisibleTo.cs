using System.Runtime.CompilerServices;

// The request handler is fuzzed directly, without sockets, so that many inputs fit in a fast test.
[assembly: InternalsVisibleTo("Robotics.SimBridge.Tests")]
