using FsCheck;
using FsCheck.Xunit;
using Lab.Finance.Privacy;

namespace Lab.Finance.Tests.Confirmations;

public class SealedPayloadTests
{
    private static readonly string[] Parties = ["auditor", "bank", "client", "operator", "regulator", "rival"];

    /// <summary>For any content and any set of recipients: exactly the recipients open it, and get the content back.</summary>
    [Property(MaxTest = 100)]
    public bool Exactly_the_recipients_open_a_sealed_payload(NonNull<string> content, byte recipientMask, int seed)
    {
        var keys = new Keyring((ulong)seed);
        var recipients = Parties.Where((_, i) => (recipientMask >> i & 1) == 1).ToList();
        var sealedPayload = SealedPayload.Seal(content.Get, recipients, keys, "p");
        return Parties.All(p => sealedPayload.TryOpen(keys.Of(p)) is var got && (recipients.Contains(p) ? got == content.Get : got is null));
    }

    [Fact]
    public void An_altered_ciphertext_changes_the_digest_and_opens_for_nobody()
    {
        var keys = new Keyring(1);
        var s = SealedPayload.Seal("balance 100 CNY", ["auditor", "bank"], keys, "x");
        var bytes = s.Ciphertext.ToArray();
        bytes[0] ^= 1;
        var altered = s with { Ciphertext = bytes };
        Assert.NotEqual(s.Digest, altered.Digest);
        Assert.Null(altered.TryOpen(keys.Of("auditor")));
        Assert.Equal("balance 100 CNY", s.TryOpen(keys.Of("auditor")));
        // A key from another run's keyring (same name, another secret) does not open it either.
        Assert.Null(s.TryOpen(new Keyring(2).Of("auditor")));
    }

    [Fact]
    public void Sealing_is_reproducible_for_the_same_entropy_and_differs_for_another()
    {
        var keys = new Keyring(3);
        Assert.Equal(SealedPayload.Seal("c", ["a"], keys, "e").Digest, SealedPayload.Seal("c", ["a"], keys, "e").Digest);
        Assert.NotEqual(SealedPayload.Seal("c", ["a"], keys, "e").Digest, SealedPayload.Seal("c", ["a"], keys, "f").Digest);
    }

    [Fact]
    public void A_private_collection_lets_its_members_and_the_entitled_read_and_everyone_else_holds_the_hash()
    {
        var keys = new Keyring(4);
        var deal = new PrivateCollection("deal-7", ["bank-a", "bank-b"]);
        var s = deal.Seal("price 101.25", keys, "t1", "regulator");
        var m = new ReadMatrix(["bank-a", "bank-c", "regulator"], ["price"]);
        foreach (var p in m.Parties) m.Record(p, "price", Reading.Attempt(s, keys.Of(p)));
        Assert.Equal(ReadLevel.Read, m.Cell("bank-a", "price"));
        Assert.Equal(ReadLevel.HashOnly, m.Cell("bank-c", "price"));
        Assert.Equal(ReadLevel.Read, m.Cell("regulator", "price"));
        Assert.Equal(ReadLevel.Nothing, Reading.Attempt(null, keys.Of("bank-c")));
    }
}
