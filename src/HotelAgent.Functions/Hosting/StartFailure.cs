using HotelAgent.Core.Observability;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// What devops see when the standalone host cannot start (a setting out of range, an unreachable storage account): the
/// host has already logged the full exception; the process then prints one line saying why and exits with 1, instead of
/// an unhandled exception, a second stack trace and SIGABRT (exit 134).
/// </summary>
public static class StartFailure
{
    public const int ExitCode = 1;

    /// <summary>The one line: the first failure's message (an aggregate of retries repeats the same cause).</summary>
    public static string Describe(Exception exception)
    {
        return "HotelAgent could not start: " + ExceptionCause.First(exception).Message.ReplaceLineEndings(" ");
    }
}
