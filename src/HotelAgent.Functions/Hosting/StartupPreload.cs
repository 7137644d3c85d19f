using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Start-up (issue 19): type initializers the start path runs later on the main thread, run first on a thread-pool
/// thread while the main thread builds the host (the same idea as <see cref="Core.Hotel.HotelProfilePreload"/>). They
/// depend on no setting and change nothing: a class constructor runs once per process, and a thread that reaches one
/// while the preload runs it waits for it instead of running it again. What is warmed here was measured on the main
/// thread between the host build and Kestrel listening (assembly loads and their initializers, docs/benchmarks.md):
/// <list type="bullet">
/// <item>Microsoft.Data.Sqlite's static constructor: SQLitePCLRaw's provider and the native <c>e_sqlite3</c> library,
/// loaded when the durable backend opens <c>orchestrations.db</c>.</item>
/// <item>DurableTask.Core's <c>Utils</c> (Newtonsoft.Json's settings, the assembly's file version read from disk) and its
/// trace event source (the process name), both first touched by <c>TaskHubWorker.StartAsync</c>.</item>
/// </list>
/// A failure here is ignored: the same initializer runs again where it always ran and reports there.
/// </summary>
internal static class StartupPreload
{
    public static void Start() => _ = Task.Run(Run);

    private static void Run()
    {
        try
        {
            RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
            RuntimeHelpers.RunClassConstructor(typeof(DurableTask.Core.Common.Utils).TypeHandle);
            RuntimeHelpers.RunClassConstructor(typeof(DurableTask.Core.Tracing.DefaultEventSource).TypeHandle);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ignored (see above): the start path runs the initializer again and fails or succeeds there as before.
        }
    }
}
