namespace Lab.Consensus.Pow;

/// <summary>Which <see cref="BlockRelay"/> the nodes of a run use.</summary>
public enum PowRelay
{
    /// <summary><see cref="CoreRelay"/>: the lab's model of Bitcoin Core (headers, getdata, BIP 152).</summary>
    Core,
    /// <summary><see cref="SimBlock.SimBlockRelay"/>: SimBlock's rules, on the kernel's <c>simblock</c> network.</summary>
    SimBlock,
}
