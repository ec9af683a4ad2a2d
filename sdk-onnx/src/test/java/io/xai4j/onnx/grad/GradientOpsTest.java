package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;

import io.xai4j.onnx.proto.Onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dot-product checks of the backward rule of every supported op against ONNX Runtime's forward pass. */
class GradientOpsTest {
    private static final List<Arguments> CASES = new ArrayList<>();

    private static void add(String name, RuleCheck check) {
        CASES.add(Arguments.of(name, check));
    }

    /** A single-input unary graph x[2,3,4] -> op -> y. */
    private static RuleCheck unary(String op, io.xai4j.onnx.proto.Onnx.AttributeProto... attrs) {
        return RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).node(op, "x", "y", attrs).output("y").build())
                .shape("x", 2, 3, 4);
    }

    private static RuleCheck graph(IntFunction<ModelProto> model, String input, int... shape) {
        return RuleCheck.of(model).shape(input, shape);
    }

    private static RuleCheck conv(int[] xShape, int[] wShape, io.xai4j.onnx.proto.Onnx.AttributeProto... attrs) {
        return RuleCheck.of(t -> TestGraph.of(t).input("x", xShape).weights("w", wShape).weights("b", wShape[0])
                .node("Conv", "x,w,b", "y", attrs).output("y").build()).shape("x", xShape);
    }

    private static RuleCheck binary(String op, int[] a, int[] b) {
        return RuleCheck.of(t -> TestGraph.of(t).input("a", a).input("b", b).node(op, "a,b", "y").output("y").build())
                .shape("a", a).shape("b", b);
    }

    private static RuleCheck chain(UnaryOperator<TestGraph> body, int... shape) {
        return RuleCheck.of(t -> body.apply(TestGraph.of(t).input("x", shape)).output("y").build()).shape("x", shape);
    }

    static {
        int[] img = {2, 3, 6, 6};
        add("Conv stride 1 pad 1 (flipped-weight Conv)", conv(img, new int[] {4, 3, 3, 3}, of("pads", 1L, 1, 1, 1)));
        add("Conv stride 1 dilation 2", conv(new int[] {1, 2, 7, 7}, new int[] {3, 2, 3, 3}, of("dilations", 2L, 2)));
        add("Conv stride 2 asymmetric pads", conv(img, new int[] {4, 3, 3, 3}, of("strides", 2L, 2),
                of("pads", 1L, 0, 2, 1)));
        add("Conv stride 3 dilation 2 uncovered border", conv(new int[] {1, 2, 9, 8}, new int[] {2, 2, 2, 3},
                of("strides", 3L, 3), of("dilations", 2L, 2)));
        add("Conv 7x7 stride 2 pad 3", conv(new int[] {1, 3, 12, 12}, new int[] {4, 3, 7, 7},
                of("strides", 2L, 2), of("pads", 3L, 3, 3, 3)));
        add("Conv 5x4 stride 3 asymmetric pads, uncovered border", conv(new int[] {2, 2, 11, 10},
                new int[] {3, 2, 5, 4}, of("strides", 3L, 3), of("pads", 2L, 0, 1, 1)));
        add("Conv 1x1 stride 2", conv(new int[] {1, 3, 7, 6}, new int[] {4, 3, 1, 1},
                of("strides", 2L, 2)));
        add("Conv group 2", conv(new int[] {1, 4, 5, 5}, new int[] {6, 2, 3, 3}, of("group", 2L), of("pads", 1L, 1, 1, 1)));
        add("Conv depthwise stride 2", conv(new int[] {1, 3, 6, 6}, new int[] {3, 1, 3, 3}, of("group", 3L),
                of("strides", 2L, 2), of("pads", 1L, 1, 1, 1)));
        add("Conv auto_pad SAME_UPPER stride 2", conv(new int[] {1, 2, 7, 7}, new int[] {2, 2, 4, 4},
                of("auto_pad", "SAME_UPPER"), of("strides", 2L, 2)));
        add("Conv auto_pad SAME_LOWER", conv(new int[] {1, 2, 6, 6}, new int[] {2, 2, 2, 2}, of("auto_pad", "SAME_LOWER")));
        add("Conv auto_pad VALID", conv(new int[] {1, 2, 6, 6}, new int[] {2, 2, 3, 3}, of("auto_pad", "VALID")));
        add("Conv 1-D", conv(new int[] {2, 2, 9}, new int[] {3, 2, 3}, of("pads", 1L, 2), of("strides", new long[] {2})));
        add("Conv non-constant weights (ConvTranspose path)", RuleCheck.of(t -> TestGraph.of(t).input("x", 1, 2, 5, 5)
                .weights("w", 3, 2, 3, 3).node("Identity", "w", "w2").node("Conv", "x,w2", "y", of("pads", 1L, 1, 1, 1))
                .output("y").build()).shape("x", 1, 2, 5, 5));
        add("ConvTranspose stride 2", RuleCheck.of(t -> TestGraph.of(t).input("x", 1, 3, 4, 4).weights("w", 3, 2, 3, 3)
                .node("ConvTranspose", "x,w", "y", of("strides", 2L, 2), of("pads", 1L, 1, 0, 0),
                        of("output_padding", 1L, 1)).output("y").build()).shape("x", 1, 3, 4, 4));
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                int[] a = ta == 0 ? new int[] {3, 4} : new int[] {4, 3};
                int[] b = tb == 0 ? new int[] {4, 5} : new int[] {5, 4};
                long fa = ta;
                long fb = tb;
                add("Gemm transA=" + ta + " transB=" + tb, RuleCheck.of(t -> TestGraph.of(t).input("a", a).input("b", b)
                        .input("c", 5).node("Gemm", "a,b,c", "y", of("transA", fa), of("transB", fb),
                                of("alpha", 0.7f), of("beta", 1.3f)).output("y").build())
                        .shape("a", a).shape("b", b).shape("c", 5));
            }
        }
        add("MatMul batched x 2-D", binary("MatMul", new int[] {2, 3, 4}, new int[] {4, 5}));
        add("MatMul broadcast both", binary("MatMul", new int[] {2, 1, 3, 4}, new int[] {3, 4, 2}));
        add("MatMul 1-D x 2-D", binary("MatMul", new int[] {4}, new int[] {4, 5}));
        add("MatMul 3-D x 1-D", binary("MatMul", new int[] {2, 3, 4}, new int[] {4}));
        add("MatMul 1-D x 1-D", binary("MatMul", new int[] {4}, new int[] {4}));
        for (String op : List.of("Add", "Sub", "Mul", "Div")) {
            add(op + " broadcast", binary(op, new int[] {2, 3, 4}, new int[] {3, 1}));
            add(op + " broadcast first", binary(op, new int[] {1, 4}, new int[] {2, 3, 4}));
        }
        add("Pow constant exponent", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3).values("p", new double[] {3}, 1)
                .node("Pow", "x,p", "y").output("y").build()).shape("x", 2, 3));
        add("Pow both inputs", binary("Pow", new int[] {2, 3}, new int[] {3}).positiveInputs());
        add("Where", RuleCheck.of(t -> TestGraph.of(t).input("a", 2, 3).input("b", 3).input("z", 2, 3)
                .node("Greater", "z,b", "cond").node("Where", "cond,a,b", "y").output("y").build())
                .shape("a", 2, 3).shape("b", 3).shape("z", 2, 3).wrt("a", "b"));
        add("Max elementwise", binary("Max", new int[] {2, 3}, new int[] {3}));
        add("Relu", unary("Relu"));
        add("LeakyRelu", unary("LeakyRelu", of("alpha", 0.1f)));
        add("PRelu", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).input("s", 3, 1)
                .node("PRelu", "x,s", "y").output("y").build()).shape("x", 2, 3, 4).shape("s", 3, 1));
        add("Clip min max", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).values("lo", new double[] {-0.5})
                .values("hi", new double[] {0.6}).node("Clip", "x,lo,hi", "y").output("y").build()).shape("x", 2, 3, 4));
        add("Clip max only", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).values("hi", new double[] {0.5})
                .node("Clip", "x,,hi", "y").output("y").build()).shape("x", 2, 3, 4));
        add("Sigmoid", unary("Sigmoid"));
        add("Tanh", unary("Tanh"));
        add("HardSigmoid", unary("HardSigmoid", of("alpha", 0.9f), of("beta", 0.4f)));
        add("HardSwish", chain(g -> g.values("k", new double[] {5}).node("Mul", "x,k", "x5").node("HardSwish", "x5", "y"),
                2, 3, 4));
        add("Softmax axis 1", unary("Softmax", of("axis", 1L)));
        add("LogSoftmax", unary("LogSoftmax"));
        add("Erf", unary("Erf"));
        add("Gelu", RuleCheck.of(t -> TestGraph.of(t).opset(20).input("x", 2, 3).node("Gelu", "x", "y").output("y")
                .build()).shape("x", 2, 3));
        add("Gelu tanh", RuleCheck.of(t -> TestGraph.of(t).opset(20).input("x", 2, 3)
                .node("Gelu", "x", "y", of("approximate", "tanh")).output("y").build()).shape("x", 2, 3));
        add("Exp", unary("Exp"));
        add("Log", unary("Log").positiveInputs());
        add("Sqrt", unary("Sqrt").positiveInputs());
        add("Neg", unary("Neg"));
        add("Abs", unary("Abs"));
        add("Reciprocal", unary("Reciprocal"));
        add("Softplus", unary("Softplus"));
        add("Elu", unary("Elu"));
        add("MaxPool stride 2 pads", graph(t -> TestGraph.of(t).input("x", 1, 2, 6, 6).node("MaxPool", "x", "y",
                of("kernel_shape", 3L, 3), of("strides", 2L, 2), of("pads", 1L, 1, 1, 1)).output("y").build(), "x", 1, 2, 6, 6));
        add("MaxPool ceil_mode dilation", graph(t -> TestGraph.of(t).input("x", 2, 1, 7, 7).node("MaxPool", "x", "y",
                of("kernel_shape", 2L, 2), of("strides", 2L, 2), of("dilations", 2L, 1), of("ceil_mode", 1L))
                .output("y").build(), "x", 2, 1, 7, 7));
        add("MaxPool 3x3 stride 2 ceil_mode, partial last window (GoogLeNet)", graph(t -> TestGraph.of(t)
                .input("x", 2, 2, 8, 8).node("MaxPool", "x", "y", of("kernel_shape", 3L, 3), of("strides", 2L, 2),
                        of("ceil_mode", 1L)).output("y").build(), "x", 2, 2, 8, 8));
        add("MaxPool 3x3 stride 1 pads 1 ceil_mode (GoogLeNet inception branch)", graph(t -> TestGraph.of(t)
                .input("x", 1, 2, 5, 5).node("MaxPool", "x", "y", of("kernel_shape", 3L, 3), of("strides", 1L, 1),
                        of("pads", 1L, 1, 1, 1), of("ceil_mode", 1L)).output("y").build(), "x", 1, 2, 5, 5));
        // element-wise branches keep the block in double, where steps of 1e-6 cross no MaxPool decision
        add("Inception block: branches of one input, Concat, ceil_mode MaxPools (GoogLeNet)", RuleCheck.of(t ->
                TestGraph.of(t).input("x", 1, 3, 6, 6).weights("w", 1, 3, 1, 1)
                        .node("Tanh", "x", "b1").node("Mul", "x,w", "b2")
                        .node("MaxPool", "x", "p3", of("kernel_shape", 3L, 3), of("strides", 1L, 1),
                                of("pads", 1L, 1, 1, 1), of("ceil_mode", 1L)).node("Sin", "p3", "b3")
                        .node("Concat", "b1,x,b2,b3", "cat", of("axis", 1L))
                        .node("MaxPool", "cat", "y", of("kernel_shape", 3L, 3), of("strides", 2L, 2),
                                of("ceil_mode", 1L)).output("y").build()).shape("x", 1, 3, 6, 6));
        for (long include = 0; include < 2; include++) {
            long inc = include;
            add("AveragePool pads count_include_pad=" + inc, graph(t -> TestGraph.of(t).input("x", 1, 2, 5, 5)
                    .node("AveragePool", "x", "y", of("kernel_shape", 3L, 3), of("strides", 2L, 2),
                            of("pads", 1L, 0, 1, 2), of("count_include_pad", inc)).output("y").build(), "x", 1, 2, 5, 5));
            add("AveragePool ceil_mode count_include_pad=" + inc, graph(t -> TestGraph.of(t).input("x", 1, 2, 6, 6)
                    .node("AveragePool", "x", "y", of("kernel_shape", 3L, 3), of("strides", 2L, 2),
                            of("pads", 1L, 1, 1, 1), of("ceil_mode", 1L), of("count_include_pad", inc))
                    .output("y").build(), "x", 1, 2, 6, 6));
        }
        add("GlobalAveragePool", graph(t -> TestGraph.of(t).input("x", 2, 3, 4, 4).node("GlobalAveragePool", "x", "y")
                .output("y").build(), "x", 2, 3, 4, 4));
        add("GlobalMaxPool", graph(t -> TestGraph.of(t).input("x", 2, 3, 4, 4).node("GlobalMaxPool", "x", "y")
                .output("y").build(), "x", 2, 3, 4, 4));
        add("ReduceMean keepdims 0", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 1)
                .node("ReduceMean", "x,ax", "y", of("keepdims", 0L)).output("y").build()).shape("x", 2, 3, 4));
        add("ReduceSum two axes", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 0, -1)
                .node("ReduceSum", "x,ax", "y").output("y").build()).shape("x", 2, 3, 4));
        add("ReduceMax", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 2)
                .node("ReduceMax", "x,ax", "y", of("keepdims", 0L)).output("y").build()).shape("x", 2, 3, 4));
        add("ReduceMean all axes", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3).node("ReduceMean", "x", "y")
                .output("y").build()).shape("x", 2, 3));
        add("ReduceL2", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 1)
                .node("ReduceL2", "x,ax", "y").output("y").build()).shape("x", 2, 3, 4));
        add("ReduceLogSumExp", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 1)
                .node("ReduceLogSumExp", "x,ax", "y").output("y").build()).shape("x", 2, 3, 4));
        add("BatchNormalization", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4, 4).weights("s", 3)
                .weights("b", 3).weights("m", 3).weights("v", 0.5, 2, 3)
                .node("BatchNormalization", "x,s,b,m,v", "y", of("epsilon", 1e-3f)).output("y").build()).shape("x", 2, 3, 4, 4));
        add("LayerNormalization last axis", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 5).weights("s", 5)
                .weights("b", 5).node("LayerNormalization", "x,s,b", "y").output("y").build()).shape("x", 2, 3, 5));
        add("LayerNormalization axis 1 with scale gradient", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4)
                .input("s", 3, 4).weights("b", 3, 4).node("LayerNormalization", "x,s,b", "y", of("axis", 1L)).output("y")
                .build()).shape("x", 2, 3, 4).shape("s", 3, 4));
        add("InstanceNormalization", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4, 4).weights("s", 3)
                .weights("b", 3).node("InstanceNormalization", "x,s,b", "y").output("y").build()).shape("x", 2, 3, 4, 4));
        add("Flatten", unary("Flatten", of("axis", 2L)));
        add("Reshape", chain(g -> g.ints("s", 0, -1).node("Reshape", "x,s", "r").node("Sin", "r", "y"), 2, 3, 4));
        add("Transpose", unary("Transpose", of("perm", 2L, 0, 1)));
        add("Transpose default", unary("Transpose"));
        add("Channel shuffle as PyTorch exports it: Reshape to 5-D from the shape, Transpose, Reshape (ShuffleNetV2)",
                RuleCheck.of(t -> shuffled(TestGraph.of(t).input("x", -1, 6, 2, 3), "x", 6, 2, 3).output("y").build())
                        .shape("x", 1, 6, 2, 3).runShape("x", 2, 6, 2, 3));
        add("ShuffleNetV2 unit: chunk by Slice at half the channels from the shape, a branch, Concat, shuffle",
                RuleCheck.of(t -> shuffled(TestGraph.of(t).input("x", -1, 4, 3, 3).weights("w", 1, 2, 1, 1)
                        .node("Shape", "x", "sh").ints("one", 1).ints("zero", 0).ints("two", 2)
                        .node("Gather", "sh,one", "c").node("Div", "c,two", "half").node("Mul", "half,two", "end")
                        .node("Slice", "x,zero,half,one", "a").node("Slice", "x,half,end,one", "b")
                        .node("Mul", "b,w", "cb").node("Tanh", "cb", "tb")
                        .node("Concat", "a,tb", "cat", of("axis", 1L)), "cat", 4, 3, 3).output("y").build())
                        .shape("x", 1, 4, 3, 3).runShape("x", 2, 4, 3, 3));
        add("Squeeze Unsqueeze", chain(g -> g.ints("a", 1).ints("b", 0, 3).node("Squeeze", "x,a", "s")
                .node("Unsqueeze", "s,b", "y"), 2, 1, 4));
        add("Concat", RuleCheck.of(t -> TestGraph.of(t).input("a", 2, 3).input("b", 2, 2).weights("c", 2, 1)
                .node("Concat", "a,c,b", "y", of("axis", 1L)).output("y").build()).shape("a", 2, 3).shape("b", 2, 2));
        add("Split num_outputs with unused output", chain(g -> g.node("Split", "x", "p,q,r", of("axis", 2L),
                of("num_outputs", 3L)).node("Mul", "p,r", "y"), 2, 3, 6));
        add("Split sizes", chain(g -> g.ints("sz", 1, 3).node("Split", "x,sz", "p,q", of("axis", 1L))
                .node("ReduceSum", "q", "qs").node("Mul", "p,qs", "y"), 2, 4));
        add("Slice steps 1", chain(g -> g.ints("st", 1, 0).ints("en", -1, 100).ints("ax", 1, 2)
                .node("Slice", "x,st,en,ax", "y"), 2, 4, 5));
        add("Slice steps 2 and -1", chain(g -> g.ints("st", 0, -1).ints("en", 100, -100).ints("ax", 2, 1).ints("sp", 2, -1)
                .node("Slice", "x,st,en,ax,sp", "y"), 2, 4, 5));
        add("Slice with starts computed from the shape, dynamic batch", RuleCheck.of(t -> TestGraph.of(t)
                .input("x", -1, 6).node("Shape", "x", "sh").ints("one", 1).node("Gather", "sh,one", "c")
                .ints("two", 2).node("Div", "c,two", "half").ints("big", 100)
                .node("Slice", "x,half,big,one", "s").node("Tanh", "s", "y").output("y").build())
                .shape("x", 1, 6).runShape("x", 2, 6));
        add("Gather axis 1 with negative indices", chain(g -> g.intTensor("i", new long[] {0, -1, 2, 0}, 2, 2)
                .node("Gather", "x,i", "y", of("axis", 1L)), 2, 3, 4));
        add("Gather axis 0 scalar", chain(g -> g.intTensor("i", new long[] {1}).node("Gather", "x,i", "y"), 3, 4));
        add("Gather axis 1 scalar index, dynamic batch", RuleCheck.of(t -> TestGraph.of(t).input("x", -1, 5, 3)
                .intTensor("i", new long[] {0}).weights("w", 4, 3).node("Gather", "x,i", "g", of("axis", 1L))
                .node("Gemm", "g,w", "y", of("transB", 1L)).output("y").build()).shape("x", 1, 5, 3));
        add("GatherElements", chain(g -> g.intTensor("i", new long[] {0, 2, 2, 1, 0, 0}, 2, 3)
                .node("GatherElements", "x,i", "y", of("axis", 1L)), 2, 3));
        add("Pad constant", chain(g -> g.ints("p", 0, 1, 2, 0, 2, -1).node("Pad", "x,p", "y"), 2, 3, 4));
        add("Expand", chain(g -> g.ints("s", 2, 3, 4).node("Expand", "x,s", "y"), 3, 1));
        add("Tile", chain(g -> g.ints("r", 2, 1, 3).node("Tile", "x,r", "y"), 2, 3, 2));
        add("Resize linear half_pixel x2", resize(of("mode", "linear")));
        add("Resize nearest asymmetric floor", resize(of("mode", "nearest"), of("coordinate_transformation_mode",
                "asymmetric"), of("nearest_mode", "floor")));
        add("Resize cubic", resize(of("mode", "cubic")));
        add("Resize linear align_corners x1.5", RuleCheck.of(t -> TestGraph.of(t).input("x", 1, 2, 4, 6)
                .tensor(OnnxTensors.ofDoubles("sc", 1, new double[] {1, 1, 1.5, 1.5}, 4)).node("Resize", "x,,sc", "y", of("mode", "linear"),
                        of("coordinate_transformation_mode", "align_corners")).output("y").build()).shape("x", 1, 2, 4, 6));
        add("Resize sizes on axes", RuleCheck.of(t -> TestGraph.of(t).input("x", 1, 2, 3, 5).ints("sz", 7)
                .node("Resize", "x,,,sz", "y", of("mode", "linear"), of("axes", new long[] {3})).output("y").build())
                .shape("x", 1, 2, 3, 5));
        add("Resize sizes computed from the input's shape, dynamic batch", RuleCheck.of(t -> TestGraph.of(t)
                .input("x", -1, 2, 3, 5).ints("st", 0).ints("en", 2).ints("hw", 6, 7).node("Shape", "x", "s")
                .node("Slice", "s,st,en", "nc").node("Concat", "nc,hw", "sz", of("axis", 0L))
                .node("Resize", "x,,,sz", "y", of("mode", "linear")).output("y").build())
                .shape("x", 1, 2, 3, 5).runShape("x", 2, 2, 3, 5));
        add("Dropout Identity", chain(g -> g.node("Dropout", "x", "d").node("Identity", "d", "y"), 2, 3));
        add("Cast round trip", chain(g -> g.node("Cast", "x", "f", of("to", 11L)).node("Cast", "f", "y",
                of("to", (long) g.type)), 2, 3));
        add("Einsum batched matmul", RuleCheck.of(t -> TestGraph.of(t).input("a", 2, 3, 4).input("b", 2, 4, 5)
                .node("Einsum", "a,b", "y", of("equation", "bij,bjk->bik")).output("y").build())
                .shape("a", 2, 3, 4).shape("b", 2, 4, 5));
        add("Einsum reduce and transpose", RuleCheck.of(t -> TestGraph.of(t).input("a", 2, 3, 4)
                .node("Einsum", "a", "y", of("equation", "bij->jb")).output("y").build()).shape("a", 2, 3, 4));
        add("Constant and Shape subgraph", chain(g -> g.node("Constant", "", "k", of("value",
                        OnnxTensors.ofDoubles("", g.type, new double[] {0.5}, 1)))
                .node("Shape", "x", "sh").ints("zero", 0).node("Gather", "sh,zero", "n")
                .ints("minus1", -1).node("Concat", "n,minus1", "target", of("axis", 0L))
                .node("Reshape", "x,target", "flat").node("Mul", "flat,k", "y"), 2, 3, 4));
        add("Fan-out sum", chain(g -> g.node("Mul", "x,x", "sq").node("Tanh", "x", "t").node("Add", "sq,t", "y"), 2, 3));
        add("CNN head through Softmax", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 2, 6, 6).weights("w", 3, 2, 3, 3)
                .weights("fw", 4, 27).weights("fb", 4)
                .node("Conv", "x,w", "c", of("pads", 1L, 1, 1, 1)).node("Relu", "c", "r")
                .node("MaxPool", "r", "p", of("kernel_shape", 2L, 2), of("strides", 2L, 2))
                .node("Flatten", "p", "f").node("Gemm", "f,fw,fb", "logits", of("transB", 1L))
                .node("Softmax", "logits", "y").output("y").build()).shape("x", 2, 2, 6, 6));
        add("Mish", unary("Mish"));
        add("Selu", unary("Selu", of("alpha", 1.5f), of("gamma", 1.1f)));
        add("Celu (float only)", unary("Celu", of("alpha", 0.7f)));
        add("ThresholdedRelu", unary("ThresholdedRelu", of("alpha", 0.3f)).minMagnitude(0.4));
        add("Softsign", unary("Softsign"));
        add("Tan", unary("Tan"));
        add("Atan", unary("Atan"));
        add("ReduceL1", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 1)
                .node("ReduceL1", "x,ax", "y", of("keepdims", 0L)).output("y").build()).shape("x", 2, 3, 4));
        add("ReduceLogSum", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3, 4).ints("ax", 2)
                .node("ReduceLogSum", "x,ax", "y", of("keepdims", 0L)).output("y").build()).shape("x", 2, 3, 4)
                .positiveInputs());
        add("LpNormalization p=2", unary("LpNormalization", of("axis", 1L)));
        add("LpNormalization p=1", unary("LpNormalization", of("axis", -1L), of("p", 1L)));
        add("LRN size 3", graph(t -> TestGraph.of(t).input("x", 2, 5, 3, 3).node("LRN", "x", "y", of("size", 3L),
                of("alpha", 0.5f), of("beta", 0.75f), of("bias", 1.5f)).output("y").build(), "x", 2, 5, 3, 3));
        add("CumSum", chain(g -> g.ints("a", 1).node("CumSum", "x,a", "y"), 2, 4, 3));
        add("CumSum exclusive reverse", chain(g -> g.ints("a", -1).node("CumSum", "x,a", "y", of("exclusive", 1L),
                of("reverse", 1L)), 2, 4, 3));
        add("GatherND with repeated and negative indices", chain(g -> g.intTensor("i", new long[] {0, 1, 1, -2, 0, 1}, 3, 2)
                .node("GatherND", "x,i", "y"), 2, 3, 4));
        add("ScatterND data and updates", RuleCheck.of(t -> TestGraph.of(t).input("x", 3, 4).input("u", 2, 4)
                .intTensor("i", new long[] {2, 0}, 2, 1).node("ScatterND", "x,i,u", "y").output("y").build())
                .shape("x", 3, 4).shape("u", 2, 4));
        add("ScatterElements add", RuleCheck.of(t -> TestGraph.of(t).input("x", 2, 3).input("u", 2, 2)
                .intTensor("i", new long[] {0, 0, 2, 1}, 2, 2)
                .node("ScatterElements", "x,i,u", "y", of("axis", 1L), of("reduction", "add")).output("y").build())
                .shape("x", 2, 3).shape("u", 2, 2));
        add("TopK values", chain(g -> g.ints("k", 2).node("TopK", "x,k", "y,idx", of("axis", 1L)), 2, 4, 3));
        add("Trilu lower with k", chain(g -> g.ints("k", 1).node("Trilu", "x,k", "y", of("upper", 0L)), 2, 3, 4));
        add("SpaceToDepth", graph(t -> TestGraph.of(t).input("x", 1, 2, 4, 6).node("SpaceToDepth", "x", "y",
                of("blocksize", 2L)).output("y").build(), "x", 1, 2, 4, 6));
        add("DepthToSpace DCR", graph(t -> TestGraph.of(t).input("x", 1, 8, 2, 3).node("DepthToSpace", "x", "y",
                of("blocksize", 2L)).output("y").build(), "x", 1, 8, 2, 3));
        add("DepthToSpace CRD", graph(t -> TestGraph.of(t).input("x", 2, 8, 2, 3).node("DepthToSpace", "x", "y",
                of("blocksize", 2L), of("mode", "CRD")).output("y").build(), "x", 2, 8, 2, 3));
        add("Dynamic batch: probe at 1, run at 3", RuleCheck.of(t -> TestGraph.of(t).input("x", -1, 3).input("z", 1, 3)
                .node("Mul", "x,z", "m").node("Tanh", "m", "y").output("y").build())
                .shape("x", 1, 3).shape("z", 1, 3).runShape("x", 3, 3).runShape("z", 1, 3));
    }

    /**
     * ShuffleNetV2's channel shuffle of {@code x[N,c,h,w]} into {@code y}, as PyTorch exports it: a Reshape to
     * {@code [N,2,c/2,h,w]} whose shape starts with the batch read from the tensor's shape, a Transpose of the two
     * channel axes and a Reshape back.
     */
    private static TestGraph shuffled(TestGraph g, String x, int c, int h, int w) {
        return g.node("Shape", x, x + "_shape").ints(x + "_i0", 0).node("Gather", x + "_shape," + x + "_i0", x + "_n")
                .ints(x + "_rest5", 2, c / 2, h, w).ints(x + "_rest4", c, h, w)
                .node("Concat", x + "_n," + x + "_rest5", x + "_s5", of("axis", 0L))
                .node("Concat", x + "_n," + x + "_rest4", x + "_s4", of("axis", 0L))
                .node("Reshape", x + "," + x + "_s5", x + "_r5")
                .node("Transpose", x + "_r5", x + "_t5", of("perm", 0L, 2, 1, 3, 4))
                .node("Reshape", x + "_t5," + x + "_s4", "y");
    }

    private static RuleCheck resize(io.xai4j.onnx.proto.Onnx.AttributeProto... attrs) {
        return RuleCheck.of(t -> TestGraph.of(t).input("x", 1, 2, 3, 4).tensor(OnnxTensors.ofDoubles("sc", 1, new double[] {1, 1, 2, 2}, 4))
                .node("Resize", "x,,sc", "y", attrs).output("y").build()).shape("x", 1, 2, 3, 4);
    }

    static Stream<Arguments> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(String name, RuleCheck check) {
        check.run(name);
    }
}
