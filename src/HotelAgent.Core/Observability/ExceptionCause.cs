namespace HotelAgent.Core.Observability;

/// <summary>What to tell a person about a failure.</summary>
public static class ExceptionCause
{
    /// <summary>
    /// The exception itself, or the first inside an aggregate: Azure SDK retries (six tries of "Connection refused") and
    /// hosted-service start failures arrive as aggregates that repeat one cause.
    /// </summary>
    public static Exception First(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions is [var first, ..] ? first : exception;
    }
}
