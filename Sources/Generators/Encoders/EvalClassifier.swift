import Runtime

/// The evaluation classifier (the Melception role): normalised mel → class and material
/// probabilities and 256-d penultimate features (FD, KL, IS, accuracy in `foley eval`).
public struct EvalClassifier: Sendable {
    public let classes: [String]
    public let materials: [String]
    let blocks: [ConvNormAct]
    let feature: LinearLayer, classHead: LinearLayer, materialHead: LinearLayer

    public struct Output: Sendable {
        public var classLogits: [Float]
        public var materialLogits: [Float]
        public var features: [Float]
        public var classProbabilities: [Float] { Softmax.forward(Tensor(shape: [classLogits.count], classLogits)).values }
    }

    public static func table(width: Int, classes: Int, materials: Int, feature: Int = 256) -> WeightTable {
        var t = WeightTable()
        let c = [1, width, 2 * width, 4 * width, 8 * width]
        for i in 0..<4 { ConvNormAct.table(&t, conv: "convs.\(i)", norm: "norms.\(i)", cin: c[i], cout: c[i + 1]) }
        t.add("feature.weight", [feature, 2 * c[4]]); t.add("feature.bias", [feature])
        t.add("cls.weight", [classes, feature]); t.add("cls.bias", [classes])
        t.add("mat.weight", [materials, feature]); t.add("mat.bias", [materials])
        return t
    }

    public init(bundle: ModelBundle) throws {
        classes = try bundle.strings("classes")
        materials = try bundle.strings("materials")
        let w = try bundle.bind(Self.table(width: try bundle.int("width"), classes: classes.count, materials: materials.count))
        blocks = (0..<4).map { ConvNormAct(w, conv: "convs.\($0)", norm: "norms.\($0)", stride: 1) }
        feature = LinearLayer(weight: w["feature.weight"], bias: w["feature.bias"])
        classHead = LinearLayer(weight: w["cls.weight"], bias: w["cls.bias"])
        materialHead = LinearLayer(weight: w["mat.weight"], bias: w["mat.bias"])
    }

    /// mel [80, T] (T ≥ 16; shorter mels are zero-padded, i.e. silence at the floor).
    public func callAsFunction(mel: Tensor) -> Output {
        var m = mel
        if m.dim(1) < 16 {
            let bands = m.dim(0), t = m.dim(1)
            m = Tensor(shape: [bands, 16]) { out in m.read { p in for b in 0..<bands { for i in 0..<t { out[b * 16 + i] = p[b * t + i] } } } }
        }
        var x = Elementwise.scale(m.reshaped([1, 1, m.dim(0), m.dim(1)]), 2)
        x.update { for i in $0.indices { $0[i] -= 1 } }                      // [1, 1, 80, T]
        for block in blocks { x = Pool.max2d(block(x), kernel: 2) }          // [1, 8w, 5, T/16]
        let perTime = Reduce.mean(x, axis: 2)                               // [1, C, T']
        let pooled = Tensor(shape: [1, 2 * perTime.dim(1)],
                            Reduce.mean(perTime, axis: 2).values + Reduce.max(perTime, axis: 2).values)
        let f = Activation.silu(feature(pooled))                            // [1, 256]
        return Output(classLogits: classHead(f).values, materialLogits: materialHead(f).values, features: f.values)
    }
}
