/// Pooling over the last two dimensions.
public enum Pool {
    /// Max over non-overlapping k×k windows (stride k), PyTorch's floor rule for odd sizes:
    /// [..., H, W] → [..., H/k, W/k].
    public static func max2d(_ x: Tensor, kernel k: Int) -> Tensor {
        let h = x.dim(-2), w = x.dim(-1), ho = h / k, wo = w / k, planes = x.count / (h * w)
        var shape = x.shape
        shape[shape.count - 2] = ho
        shape[shape.count - 1] = wo
        return Tensor(overwriting: shape) { out in
            x.read { p in
                for pl in 0..<planes {
                    let src = p.baseAddress! + pl * h * w, dst = out.baseAddress! + pl * ho * wo
                    for oy in 0..<ho { for ox in 0..<wo {
                        var m = -Float.infinity
                        for dy in 0..<k { for dx in 0..<k { m = max(m, src[(oy * k + dy) * w + ox * k + dx]) } }
                        dst[oy * wo + ox] = m
                    } }
                }
            }
        }
    }
}
