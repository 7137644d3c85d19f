using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Dialog;

/// <summary>Receptionist dialog settings (section <c>Dialog</c>). Confidence thresholds come from <c>Nlu__ActThreshold</c>/<c>Nlu__ClarifyThreshold</c>.</summary>
public sealed class DialogOptions
{
    public const string SectionName = "Dialog";

    /// <summary>Hand off when consecutive fallbacks exceed this (<c>Dialog__MaxConsecutiveFallbacks</c>).</summary>
    [Range(0, 20)]
    public int MaxConsecutiveFallbacks { get; set; } = 2;

    /// <summary>A turn below this confidence is "very low" (<c>Dialog__VeryLowConfidence</c>).</summary>
    [Range(0.0, 1.0)]
    public double VeryLowConfidence { get; set; } = 0.2;

    /// <summary>Hand off after this many consecutive very-low-confidence turns (<c>Dialog__VeryLowConfidenceTurns</c>).</summary>
    [Range(1, 20)]
    public int VeryLowConfidenceTurns { get; set; } = 2;

    /// <summary>Hand off when the guest's sentiment is at or below this (<c>Dialog__NegativeSentimentThreshold</c>).</summary>
    [Range(-1.0, 0.0)]
    public double NegativeSentimentThreshold { get; set; } = -0.6;

    /// <summary>Hand off when the guest sends the same (or a very similar) text this many times (<c>Dialog__RepetitionLimit</c>).</summary>
    [Range(2, 20)]
    public int RepetitionLimit { get; set; } = 3;

    /// <summary>Word-overlap similarity (0..1) at which two texts count as the same (<c>Dialog__RepetitionSimilarity</c>).</summary>
    [Range(0.1, 1.0)]
    public double RepetitionSimilarity { get; set; } = 0.8;

    /// <summary>
    /// A flow left untouched this long (by the messages' own timestamps) expires: its dates and guests are not reused
    /// silently; the guest is asked whether to go on with them (<c>Dialog__FlowExpiryMinutes</c>).
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int FlowExpiryMinutes { get; set; } = 30;

    /// <summary>A stay longer than this many nights is read back and confirmed before it is quoted (<c>Dialog__LongStayNights</c>).</summary>
    [Range(1, 60)]
    public int LongStayNights { get; set; } = 14;

    /// <summary>Most options quoted at once (WhatsApp lists hold 10 rows) (<c>Dialog__MaxOffers</c>).</summary>
    [Range(1, 10)]
    public int MaxOffers { get; set; } = 6;
}
