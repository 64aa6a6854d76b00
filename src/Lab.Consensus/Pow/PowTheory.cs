namespace Lab.Consensus.Pow;

/// <summary>Closed forms the simulation is checked against.</summary>
public static class PowTheory
{
    /// <summary>
    /// Stale (orphan) rate when every block needs τ to reach the other miners, who hold
    /// <paramref name="competingShare"/> of the hash power: the chance that one of them finds a
    /// block meanwhile, 1 − exp(−share·τ/T) (Decker &amp; Wattenhofer 2013; with share 1 the usual
    /// 1 − exp(−τ/T)).
    /// </summary>
    public static double StaleRate(double tauOverT, double competingShare = 1) => 1 - Math.Exp(-competingShare * tauOverT);

    /// <summary>Selfish pool's relative revenue (Eyal &amp; Sirer 2014, eq. 8).</summary>
    public static double SelfishRevenue(double alpha, double gamma)
    {
        var a = alpha;
        var num = a * Math.Pow(1 - a, 2) * (4 * a + gamma * (1 - 2 * a)) - Math.Pow(a, 3);
        var den = 1 - a * (1 + (2 - a) * a);
        return num / den;
    }

    /// <summary>
    /// Rosenfeld 2014: probability that an attacker with hash share q who pre-mined one block
    /// double-spends a payment accepted after k confirmations:
    /// 1 − Σ_{m=0..k} C(m+k−1, m)(p^k q^m − p^m q^k), for q &lt; p; 1 otherwise.
    /// </summary>
    public static double DoubleSpendSuccess(double q, int k)
    {
        var p = 1 - q;
        if (q >= p) return 1;
        double sum = 0;
        for (int m = 0; m <= k; m++)
            sum += Binomial(m + k - 1, m) * (Math.Pow(p, k) * Math.Pow(q, m) - Math.Pow(p, m) * Math.Pow(q, k));
        return 1 - sum;
    }

    /// <summary>
    /// The same race when the attacker gives up once <paramref name="giveUpBehind"/> blocks behind
    /// (≥ k): after k honest blocks the attacker has m + 1; from lead x = m + 1 − k it must reach
    /// +1 before −D, gambler's ruin with up-probability q. Tends to <see cref="DoubleSpendSuccess(double, int)"/> as D grows.
    /// </summary>
    public static double DoubleSpendSuccessWithGiveUp(double q, int k, int giveUpBehind)
    {
        var p = 1 - q;
        var d = giveUpBehind;
        double total = 0, mass = 0;
        for (int m = 0; m < 10_000; m++)
        {
            var pm = Binomial(m + k - 1, m) * Math.Pow(p, k) * Math.Pow(q, m);
            mass += pm;
            var x = m + 1 - k;
            double win;
            if (x >= 1) win = 1;
            else
            {
                // Positions −D..+1 shifted to 0..D+1; start at x + D.
                // Written with s = q/p ≤ 1 so that large D cannot overflow.
                var s = q / p;
                int i = x + d, nTop = d + 1;
                win = Math.Abs(s - 1) < 1e-12 ? (double)i / nTop : Math.Pow(s, nTop - i) * (1 - Math.Pow(s, i)) / (1 - Math.Pow(s, nTop));
            }
            total += pm * win;
            if (1 - mass < 1e-15) break;
        }
        return total;
    }

    private static double Binomial(int n, int k)
    {
        if (k < 0 || k > n) return n == -1 && k == 0 ? 1 : 0;
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}
