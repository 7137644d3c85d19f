namespace HotelAgent.Functions;

/// <summary>How the process is hosted.</summary>
public enum HostingMode
{
    /// <summary>No Functions host: Kestrel serves <c>/api/...</c> and in-process engines run triggers, durable work and queues.</summary>
    Standalone,

    /// <summary>Started by the Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set): serves <c>POST /{FunctionName}</c>.</summary>
    CustomHandler,
}
