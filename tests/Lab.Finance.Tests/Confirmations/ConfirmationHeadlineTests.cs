using Lab.Finance.Confirmations;
using Lab.Finance.Securities;
using Xunit;

namespace Lab.Finance.Tests.Confirmations;

public class ConfirmationHeadlineTests
{
    private static ConfirmationFigures Figures() => new()
    {
        Paper = "paper", OnChain = "platform", Replications = 3,
        PaperMedianS = new Estimate(10 * 86400, 9 * 86400, 11 * 86400), PaperP90S = new Estimate(17 * 86400, 16 * 86400, 18 * 86400),
        OnChainMedianS = new Estimate(4 * 3600, 3.5 * 3600, 4.5 * 3600), OnChainOfficeMeanS = new Estimate(3.7 * 3600, 3.6 * 3600, 3.8 * 3600),
        OnChainOfficeMinS = new Estimate(80 * 60, 77 * 60, 83 * 60),
        Tampered = 27, PaperForgedAccepted = 27, OnChainTampered = 27, OnChainTamperDetected = 27,
        Privacy = [], PrivacyBreaches = 0,
    };

    [Fact]
    public void The_evidence_check_is_quoted_with_its_counts()
    {
        var text = ConfirmationHeadline.Compose(Figures() with { RepliesProved = 1158, RepliesChecked = 1159, AlteredChecked = 54, AlteredCaught = 54 });
        Assert.Contains("refused 27 of 27 by their digest; afterwards the audit firms proved 1158 of 1159 filed replies against the anchored Merkle root alone and caught 54 of 54 altered copies.", text);
    }

    [Fact]
    public void Without_an_evidence_check_the_sentence_says_nothing_of_it()
    {
        var text = ConfirmationHeadline.Compose(Figures());
        Assert.Contains("refused 27 of 27 by their digest.", text);
        Assert.DoesNotContain("Merkle", text);
    }
}
