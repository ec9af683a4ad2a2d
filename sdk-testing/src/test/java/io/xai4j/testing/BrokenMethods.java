package io.xai4j.testing;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Requirement;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** {@link ElementOcclusion} broken in one way each, and a correct stochastic variant. */
final class BrokenMethods {
    private BrokenMethods() {
    }

    /** Adds a little noise, each example's from its own stream started at the seed: correct. */
    static final class Stochastic extends ElementOcclusion {
        @Override
        Tensor explain(AttributionContext context, AttributionRequest request, int i) {
            Tensor a = super.explain(context, request, i);
            SplittableRandom random = context.random();
            for (int e = 0; e < a.size(); e++) {
                a.set(e, a.get(e) + (float) random.nextDouble(-0.01, 0.01));
            }
            return a;
        }
    }

    /** Adds a little noise from one stream across the examples, so an example's result depends on its batch. */
    static final class OneStreamAcrossExamples extends ElementOcclusion {
        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            Tensor out = super.attribute(context, request).tensors().get(request.inputName());
            SplittableRandom random = context.random();
            for (int i = 0; i < out.size(); i++) {
                out.set(i, out.get(i) + (float) random.nextDouble(-0.01, 0.01));
            }
            return Attribution.of(request.inputName(), out);
        }
    }

    /** Adds noise that no seed controls. */
    static final class NonDeterministic extends ElementOcclusion {
        @Override
        Tensor explain(AttributionContext context, AttributionRequest request, int i) {
            Tensor a = super.explain(context, request, i);
            a.set(0, a.get(0) + (float) Math.random());
            return a;
        }
    }

    /** Divides by one plus the largest magnitude over the request, so an example's result depends on the others. */
    static final class BatchNormalised extends ElementOcclusion {
        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            Tensor out = super.attribute(context, request).tensors().get(request.inputName());
            float max = 0;
            for (int i = 0; i < out.size(); i++) {
                max = Math.max(max, Math.abs(out.get(i)));
            }
            for (int i = 0; i < out.size(); i++) {
                out.set(i, out.get(i) / (1 + max));
            }
            return Attribution.of(request.inputName(), out);
        }
    }

    /**
     * Subtracts the mean of the request's input, so an example's result depends on the others; declares that it
     * requires a batch and refuses one example: correct.
     */
    static class BatchCentred extends ElementOcclusion {
        @Override
        public MethodDescriptor descriptor() {
            MethodDescriptor d = super.descriptor();
            return new MethodDescriptor(d.name(), d.family(), d.version(), d.description(), Set.of(Requirement.BATCH),
                    d.parameters());
        }

        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            if (request.examples() < 2) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "needs at least 2 examples");
            }
            return centred(super.attribute(context, request), request);
        }

        static Attribution centred(Attribution attribution, AttributionRequest request) {
            Tensor out = attribution.tensors().get(request.inputName());
            float mean = 0;
            for (int i = 0; i < out.size(); i++) {
                mean += request.input().get(i) / out.size();
            }
            for (int i = 0; i < out.size(); i++) {
                out.set(i, out.get(i) - mean);
            }
            return Attribution.of(request.inputName(), out);
        }
    }

    /** As {@link BatchCentred}, but explains one example instead of refusing it. */
    static final class BatchCentredAcceptsOne extends BatchCentred {
        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            return centred(new ElementOcclusion().attribute(context, request), request);
        }
    }

    /** Explains every example for the first example's target. */
    static final class FirstTargetOnly extends ElementOcclusion {
        @Override
        ResolvedTarget target(AttributionRequest request, int i) {
            return request.target().forExample(0);
        }
    }

    /** Scales each example by its largest magnitude: 0/0 on a zero input. */
    static final class NanOnZero extends ElementOcclusion {
        @Override
        Tensor explain(AttributionContext context, AttributionRequest request, int i) {
            Tensor a = super.explain(context, request, i);
            Tensor x = request.input().row(i);
            float max = 0;
            for (int j = 0; j < x.size(); j++) {
                max = Math.max(max, Math.abs(x.get(j)));
            }
            for (int j = 0; j < a.size(); j++) {
                a.set(j, a.get(j) * x.get(j) / max);
            }
            return a;
        }
    }

    /** Batches with a batcher of its own, whose listener hears nothing. */
    static final class Silent extends ElementOcclusion {
        @Override
        Batcher batcher(AttributionContext context) {
            return Batcher.defaults();
        }
    }

    /** Keeps the request in a field while it works. */
    static final class SharedState extends ElementOcclusion {
        private AttributionRequest current;

        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            current = request;
            Tensor out = Tensor.zeros(request.input().shape());
            for (int i = 0; i < request.examples(); i++) {
                out.row(i).copyFrom(explain(context, current, i));
            }
            return Attribution.of(request.inputName(), out);
        }
    }

    /** A blank description and a parameter declared twice. */
    static final class BadDescriptor extends ElementOcclusion {
        @Override
        public MethodDescriptor descriptor() {
            MethodDescriptor d = super.descriptor();
            return new MethodDescriptor(d.name(), d.family(), d.version(), " ", d.requirements(),
                    List.of(d.parameters().get(0), d.parameters().get(0), d.parameters().get(1)));
        }
    }

    /** Allows {@code samples=0} and divides by it. */
    static final class DividesBySamples extends ElementOcclusion {
        @Override
        public MethodDescriptor descriptor() {
            MethodDescriptor d = super.descriptor();
            return new MethodDescriptor(d.name(), MethodFamily.PERTURBATION, d.version(), d.description(),
                    d.requirements(), List.of(d.parameters().get(0), d.parameters().get(1),
                            ParameterSpec.integer("samples", 4, 0, 100, "how many")));
        }

        @Override
        Tensor explain(AttributionContext context, AttributionRequest request, int i) {
            Tensor a = super.explain(context, request, i);
            float samples = request.parameters().getInt("samples");
            for (int j = 0; j < a.size(); j++) {
                a.set(j, a.get(j) * 4 / samples);
            }
            return a;
        }
    }
}
