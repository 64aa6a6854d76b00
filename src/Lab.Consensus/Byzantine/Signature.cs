namespace Lab.Consensus.Byzantine;

/// <summary>
/// A replica's signature on a <see cref="Statement"/>. It verifies only for the statement it was made
/// on and under its signer's key (see <see cref="Authenticator.Verify"/>):
/// modelled, <paramref name="Tag"/> is a keyed 64-bit digest of the statement under the signer's
/// modelled secret (no cryptography, but a signature made with another key, or moved to another
/// statement, fails like a real one); real, <paramref name="Ecdsa"/> holds the 64-byte ECDSA P-256
/// signature over the statement's SHA-256. Either way it is 64 bytes on the wire.
/// </summary>
public readonly record struct Signature(int Signer, ulong Tag, byte[]? Ecdsa = null)
{
    public const int SizeBytes = 64;
}
