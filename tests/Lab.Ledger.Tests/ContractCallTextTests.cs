using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

/// <summary>A contract call's fingerprint hashes its text written straight onto the stack; it must be the text
/// <see cref="ContractCall.ToString()"/> gives, so that fingerprints (and the block digests over them) do not change.</summary>
public class ContractCallTextTests
{
    // Writes itself (like a DvP instruction), and its ToString says the same.
    private sealed record Formattable(int A, long B) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            destination.TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"F({A}; {B})", out charsWritten);
        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();
        public override string ToString() => $"F({A}; {B})";
    }

    // Not a ContractCall: the fingerprint takes its ToString, the slow path.
    private sealed class Text(string text)
    {
        public override string ToString() => text;
    }

    public static TheoryData<object?> Arguments => new()
    {
        null, "plain text", 42L, -7, new Formattable(3, -9_000_000_000), new Formattable(int.MinValue, long.MaxValue),
        new Formattable(1, 2) { },
    };

    [Theory]
    [MemberData(nameof(Arguments))]
    public void The_written_text_is_the_ToString_text_and_the_fingerprint_is_that_of_the_same_text(object? arguments)
    {
        var call = new ContractCall("dvp", "settle", arguments);
        var expected = "dvp.settle(" + (arguments is IFormattable f ? f.ToString(null, null) : arguments?.ToString()) + ")";
        Assert.Equal(expected, call.ToString());
        Span<char> buffer = stackalloc char[256];
        Assert.True(call.TryFormat(buffer, out var n, default, null));
        Assert.Equal(expected, buffer[..n].ToString());

        var id = TxId.For(new NodeId(3), 17);
        var fast = new Transaction(id, "exchange", call, 300, SimTime.Zero);
        var slow = new Transaction(id, "exchange", new Text(expected), 300, SimTime.Zero);
        Assert.Equal(slow.Fingerprint, fast.Fingerprint);
    }

    [Fact]
    public void A_call_too_long_for_the_stack_buffer_is_hashed_from_its_string_the_same_way()
    {
        var call = new ContractCall("c", "m", new string('x', 2000));
        Span<char> small = stackalloc char[100];
        Assert.False(call.TryFormat(small, out _, default, null));
        var id = TxId.For(new NodeId(1), 1);
        Assert.Equal(new Transaction(id, "a", new Text(call.ToString()), 10, SimTime.Zero).Fingerprint,
            new Transaction(id, "a", call, 10, SimTime.Zero).Fingerprint);
    }
}
