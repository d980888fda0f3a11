import Foundation
import Media
import TestHelpers
import Testing

/// FRIEREN through `foley generate` on the tiny fixture: registered by its kind, its model
/// variants and solvers set generically, takes reproducible from the seed.
@Suite struct FrierenCLITests {
    let foley = BuiltProducts.path("foley")

    @Test func generatesWithEachSolverAndVariantReproducibly() throws {
        let dir = try TempDirectory("frieren-cli")
        defer { dir.remove() }
        let weights = try TestBundles.weights(with: ["specvqgan-tiny", "frieren-tiny"], in: dir.path)
        let list = try Subprocess.run(foley, ["generators", "--weights", weights])
        #expect(list.status == 0, "\(list.stdout)\(list.stderr)")
        #expect(list.stdout.contains("frieren-tiny") && list.stdout.contains("--set variant=") && list.stdout.contains("--set solver="), "\(list.stdout)")
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        func take(_ name: String, _ args: [String]) throws -> [Float] {
            let r = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "frieren-tiny", "--vocoder", "melgan-raw",
                                               "--set", "steps=4", clip, "-o", dir.file(name)] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return try WAVAudio.read(path: dir.file(name)).samples
        }
        let a = try take("a.wav", ["--seed", "3"]), b = try take("b.wav", ["--seed", "3"]), c = try take("c.wav", ["--seed", "4"])
        #expect(a == b && a != c)
        #expect(abs(Double(a.count) / 22050 - 6.2) < 0.01)
        let adaptive = try take("d.wav", ["--seed", "3", "--set", "solver=dopri5"])
        let oneStep = try take("e.wav", ["--seed", "3", "--set", "variant=onestep"])
        #expect(adaptive != a && oneStep != a && oneStep != adaptive)
        let floor = try take("f.wav", ["--reconstruct"])
        #expect(floor.count == a.count && floor != a, "the VAE floor: the clip's own audio through the VAE and the renderer")
        let bad = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "frieren-tiny", "--set", "variant=reflow", clip, "-o", dir.file("x.wav")])
        #expect(bad.status != 0 && bad.stderr.contains("variant"), "a variant the bundle lacks is refused: \(bad.stderr)")
    }
}
