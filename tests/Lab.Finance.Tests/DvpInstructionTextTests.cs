using Lab.Finance.Securities;
using Lab.Ledger.Contracts;

namespace Lab.Finance.Tests;

/// <summary>A DvP instruction writes its text for the transaction's fingerprint without a StringBuilder; it must be exactly
/// the record's own text, or every on-chain fingerprint and block digest would change.</summary>
public class DvpInstructionTextTests
{
    public static TheoryData<DvpInstruction> Instructions => new()
    {
        new DvpInstruction(0, 0, 1, 0, 1, 1),
        new DvpInstruction(49_999, 19, 3, 49, 400, 4_512),
        new DvpInstruction(int.MaxValue, int.MaxValue, int.MinValue, -1, -5, 3_000_000_000),
        new DvpInstruction(7, 2, 5, 11, 1_000_000, 9_223_372) { },
    };

    [Theory]
    [MemberData(nameof(Instructions))]
    public void The_written_text_is_the_record_text_and_a_settle_call_carries_it(DvpInstruction t)
    {
        Span<char> buffer = stackalloc char[256];
        Assert.True(t.TryFormat(buffer, out var n, default, null));
        Assert.Equal(t.ToString(), buffer[..n].ToString());
        Assert.StartsWith("DvpInstruction { TradeIndex = ", t.ToString());
        Assert.Equal("dvp.settle(" + t + ")", DvpContract.SettleCall(t).ToString());
        Assert.False(t.TryFormat(buffer[..20], out _, default, null));
    }
}
