/// A 3×3 convolution (padding 1) of a map upsampled 2× by nearest neighbour, without the
/// upsampled map. Output pixel (2a + p, 2b + q) reads input rows {a − 1, a} when p = 0 and
/// {a, a + 1} when p = 1 (columns likewise), with the 3×3 taps that land on the same input
/// pixel summed: so each of the four phases is a 2×2 convolution of the input, and the four
/// stack into one convolution with 4·Cout outputs. 16 instead of 36 multiply-adds per input
/// pixel and output channel, one sgemm with four times the rows, and no 4×-sized copy.
extension Conv {
    /// Weights [Cout, Cin, 3, 3] → the four phases' 2×2 kernels [4·Cout, Cin, 2, 2], phase
    /// p·2 + q first.
    public static func nearest2xPhases(_ weight: Tensor) -> Tensor {
        let (cout, cin) = (weight.dim(0), weight.dim(1))
        precondition(weight.shape == [cout, cin, 3, 3], "nearest-2× conv: got weight \(weight.shape), expected [Cout, Cin, 3, 3]")
        // Which 3×3 taps fall on the 2×2 kernel's row r in phase p: p 0 → r 0 {0}, r 1 {1, 2}; p 1 → r 0 {0, 1}, r 1 {2}.
        let taps = [[[0], [1, 2]], [[0, 1], [2]]]
        return weight.read { w in
            Tensor(overwriting: [4 * cout, cin, 2, 2]) { out in
                for p in 0..<2 { for q in 0..<2 { for o in 0..<cout { for c in 0..<cin { for r in 0..<2 { for s in 0..<2 {
                    var sum: Float = 0
                    for i in taps[p][r] { for j in taps[q][s] { sum += w[((o * cin + c) * 3 + i) * 3 + j] } }
                    out[((((p * 2 + q) * cout + o) * cin + c) * 2 + r) * 2 + s] = sum
                } } } } } }
            }
        }
    }

    /// conv3x3(upsampleNearest2d(x, 2×), padding 1): x[1, Cin, H, W] → [1, Cout, 2H, 2W], with
    /// `phases` from `nearest2xPhases` and the 3×3 convolution's bias.
    public static func nearest2xConv3x3(_ x: Tensor, phases: Tensor, bias: Tensor?) -> Tensor {
        let (h, w) = (x.dim(2), x.dim(3)), cout = phases.dim(0) / 4
        precondition(x.dim(0) == 1 && phases.dim(1) == x.dim(1), "nearest-2× conv: input \(x.shape), phase weights \(phases.shape)")
        // Padding 1 on a 2×2 kernel: output (a, b) reads input rows a − 1, a; phase p's pixel a is at row a + p.
        let stacked = conv2d(x, weight: phases, bias: nil, padding: (1, 1))                 // [1, 4·Cout, H + 1, W + 1]
        let (hs, ws) = (h + 1, w + 1)
        return Tensor(overwriting: [1, cout, 2 * h, 2 * w]) { out in
            stacked.read { s in
                for o in 0..<cout {
                    let b = bias?[flat: o] ?? 0
                    for a in 0..<h { for p in 0..<2 {
                        let row = out.baseAddress! + (o * 2 * h + 2 * a + p) * 2 * w
                        let even = s.baseAddress! + (((p * 2) * cout + o) * hs + a + p) * ws
                        let odd = s.baseAddress! + (((p * 2 + 1) * cout + o) * hs + a + p) * ws
                        for i in 0..<w { row[2 * i] = even[i] + b; row[2 * i + 1] = odd[i + 1] + b }
                    } }
                }
            }
        }
    }
}
