namespace Lab.Finance.Securities;

/// <summary>BIS (1992) "Delivery versus payment in securities settlement systems": the three DvP models.</summary>
public enum DvpModel
{
    /// <summary>Model 1: securities and cash settle gross, trade by trade (on-chain atomic DvP).</summary>
    GrossGross = 1,
    /// <summary>Model 2: securities gross, cash net at the end of the cycle (China A-shares style).</summary>
    GrossSecuritiesNetCash = 2,
    /// <summary>Model 3: both legs net, in a batch (CCP/CSD end-of-day netting; DTCC CNS).</summary>
    NetNet = 3,
}
