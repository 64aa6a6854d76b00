namespace Lab.Consensus.Byzantine;

/// <summary>
/// A modelled signature (or MAC authenticator): who signed and whether it verifies. No real
/// cryptography runs; receivers charge the verification cost and reject a signature that does not
/// verify (a forger's) or that names a replica other than the sending node's.
/// </summary>
public readonly record struct Signature(int Signer, bool Valid)
{
    public static Signature By(int replica) => new(replica, true);
    public static Signature Forged(int claimedReplica) => new(claimedReplica, false);
    public const int SizeBytes = 64;
}
