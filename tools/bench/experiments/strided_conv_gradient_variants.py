#!/usr/bin/env python3
"""Writes the strided-Conv input-gradient variants of optimisations.md as small ONNX models in the current
directory, for the stride-2 convolutions of ResNet-18: <case>_ct.onnx (ConvTranspose) and <case>_pp.onnx
(polyphase Conv, DepthToSpace, Slice), each after a 1x1 Conv so that the input comes in the blocked layout.
Time and compare them with SessionTiming.java. Needs /usr/bin/python3 with onnx and numpy.
"""
import onnx, numpy as np, sys
from onnx import helper as h, TensorProto as T, numpy_helper as nh
rng = np.random.default_rng(0)
def i64(name, v): return nh.from_array(np.array(v, dtype=np.int64), name)
def cases():
    # name, cin(x channels), cout(g channels), k, s, pad, H(x), Hout
    return [('stem', 3, 64, 7, 2, 3, 224, 112), ('l2', 64, 128, 3, 2, 1, 56, 28), ('l3', 128, 256, 3, 2, 1, 28, 14), ('l4', 256, 512, 3, 2, 1, 14, 7)]
for name, cin, cout, k, s, p, H, OH in cases():
    W = rng.standard_normal((cout, cin, k, k)).astype(np.float32) * 0.1
    pre = rng.standard_normal((cout, cout, 1, 1)).astype(np.float32) * 0.1
    def save(tag, nodes, inits):
        inits = inits + [nh.from_array(pre, 'pre')]
        nodes = [h.make_node('Conv', ['g0', 'pre'], ['g'], kernel_shape=[1,1])] + nodes
        gr = h.make_graph(nodes, name + tag, [h.make_tensor_value_info('g0', T.FLOAT, ['n', cout, OH, OH])],
                          [h.make_tensor_value_info('gx', T.FLOAT, None)], inits)
        m = h.make_model(gr, opset_imports=[h.make_opsetid('', 18)]); m.ir_version = 8
        onnx.save(m, f'{name}_{tag}.onnx')
    # ConvTranspose: out = (OH-1)*s - 2p + k + op = H
    op = H - ((OH - 1) * s - 2 * p + k)
    save('ct', [h.make_node('ConvTranspose', ['g', 'W'], ['gx'], kernel_shape=[k,k], strides=[s,s], pads=[p,p,p,p], output_padding=[op,op])], [nh.from_array(W, 'W')])
    # polyphase
    taps = (k + s - 1) // s
    F = np.zeros((cin * s * s, cout, taps, taps), np.float32)
    for ci in range(cin):
        for a in range(s):
            for b in range(s):
                ph = (ci * s + a) * s + b
                for i in range(taps):
                    r = a + s * (taps - 1 - i)
                    for j in range(taps):
                        q = b + s * (taps - 1 - j)
                        if r < k and q < k: F[ph, :, i, j] = W[:, ci, r, q]
    last = (p + H - 1) // s
    padend = max(0, last - OH + 1)
    save('pp', [h.make_node('Conv', ['g', 'F'], ['ph'], kernel_shape=[taps,taps], pads=[taps-1, taps-1, padend, padend]),
                h.make_node('DepthToSpace', ['ph'], ['il'], blocksize=s, mode='CRD'),
                h.make_node('Slice', ['il', 'st', 'en', 'ax'], ['gx'])], [nh.from_array(F, 'F'), i64('st', [p, p]), i64('en', [p + H, p + H]), i64('ax', [2, 3])])
