using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

public class ConfidencePolicyTests
{
    [Theory]
    [InlineData(0.95, ConfidenceBand.Act)]
    [InlineData(0.75, ConfidenceBand.Act)]
    [InlineData(0.74, ConfidenceBand.Clarify)]
    [InlineData(0.40, ConfidenceBand.Clarify)]
    [InlineData(0.39, ConfidenceBand.Fallback)]
    [InlineData(0.0, ConfidenceBand.Fallback)]
    public void Default_thresholds(double confidence, ConfidenceBand band) => Assert.Equal(band, new NluOptions().Classify(confidence));

    [Fact]
    public void Thresholds_are_settings()
    {
        var o = new NluOptions { ActThreshold = 0.9, ClarifyThreshold = 0.6 };
        Assert.Equal(ConfidenceBand.Clarify, o.Classify(0.8));
        Assert.Equal(ConfidenceBand.Fallback, o.Classify(0.5));
    }
}
