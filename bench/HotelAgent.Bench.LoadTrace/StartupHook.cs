using System.Diagnostics;
using System.Globalization;

#pragma warning disable CA1050 // The runtime looks the hook up as a type named StartupHook in no namespace.
#pragma warning disable CA1812 // Instantiated by nobody: the runtime calls the static Initialize.

/// <summary>Startup hook: every assembly load → <c>LOADTRACE_OUT</c> (default /tmp/loadtrace.txt) with time, thread and stack.</summary>
internal sealed class StartupHook
{
    public static void Initialize()
    {
        var clock = Stopwatch.StartNew();
        var path = Environment.GetEnvironmentVariable("LOADTRACE_OUT") ?? Path.Combine(Path.GetTempPath(), "loadtrace.txt");
        var writer = new StreamWriter(path) { AutoFlush = true };
        var gate = new Lock();
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            var stack = new StackTrace(1, false).ToString();
            lock (gate)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"=== {clock.ElapsedMilliseconds} ms tid {Environment.CurrentManagedThreadId} {e.LoadedAssembly.GetName().Name}"));
                writer.WriteLine(stack);
            }
        };
    }
}
