import Foundation
import IndependentOnsets
import Runtime
import TestHelpers
import Testing

@Suite struct IndependentOnsetsTests {
    /// Decaying noise bursts ("clicks") on a quiet noise bed at known times.
    func clicks(at times: [Double], duration: Double = 3, bed: Float = 0.002) -> [Float] {
        var rng = SeededRNG(seed: 5)
        var x = (0..<Int(duration * 44_100)).map { _ in bed * rng.normal() }
        for t in times {
            let s = Int(t * 44_100)
            for i in 0..<2000 where s + i < x.count { x[s + i] += 0.8 * rng.normal() * exp(-Float(i) / 300) }
        }
        return x
    }

    @Test func findsSyntheticClicksWithin10ms() {
        let times = [0.31, 0.82, 1.25, 1.9, 2.47]
        let found = ComplexDomainOnsets().detect(clicks(at: times))
        let m = EventMatch(detected: found, reference: times, tolerance: 0.01)
        #expect(m.matched == times.count, "found \(found)")
        #expect(found.count == times.count, "found \(found)")
    }

    @Test func silenceAndASteadyToneHaveNoOnsets() {
        let detector = ComplexDomainOnsets()
        #expect(detector.detect([Float](repeating: 0, count: 44_100)).isEmpty)
        let tone = (0..<88_200).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 44_100)) }
        // The tone starts at sample 0: at most that one onset, nothing in its steady part.
        let onTone = detector.detect(tone)
        #expect(onTone.allSatisfy { $0 < 0.05 }, "\(onTone) \(detector.onsetFunction(tone).prefix(12))")
    }

    @Test func levelDoesNotChangeTheDetections() {
        let x = clicks(at: [0.5, 1.5])
        let d = ComplexDomainOnsets()
        #expect(d.detect(x) == d.detect(x.map { $0 * 0.05 }))
    }

    @Test func matchingIsOneToOneWithinTolerance() {
        let m = EventMatch(detected: [0.50, 0.52, 1.2], reference: [0.51, 1.0], tolerance: 0.05)
        #expect(m.matched == 1 && m.references == 2 && m.detections == 3)
        #expect(EventMatch(detected: [], reference: [1]).matched == 0)
    }

    /// The detector must share nothing with the generators' (DSP's spectral flux, which
    /// SpecVQGAN's candidate ranking maximises): its module may import FFTW and Foundation only,
    /// and its target in Package.swift may depend on CFFTW only.
    @Test func sharesNoCodeWithTheGeneratorsDetector() throws {
        let root = Fixtures.repositoryRoot
        let folder = root + "/Sources/IndependentOnsets"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for f in files {
            let text = try String(contentsOfFile: folder + "/" + f, encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.contains("@_exported import") }
                .map { $0.split(separator: " ").last.map(String.init) ?? "" }
            #expect(imports.allSatisfy { ["Foundation", "CFFTW"].contains($0) }, "\(f) imports \(imports)")
            #expect(!text.contains("Onsets.detect") && !text.contains("Onsets.match"), "\(f) calls DSP's detector")
        }
        let package = try String(contentsOfFile: root + "/Package.swift", encoding: .utf8)
        #expect(package.contains(#".target(name: "IndependentOnsets", dependencies: ["CFFTW"])"#))
    }
}
