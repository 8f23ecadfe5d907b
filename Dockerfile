# Influency API / worker image. CPU-only torch (the embedding model runs on CPU).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY core core
COPY store store
COPY tools tools
COPY agents agents
COPY workers workers
COPY api api
COPY cli cli
COPY evals evals
COPY prompts prompts
RUN pip install .
RUN useradd --create-home influency
USER influency
EXPOSE 8000
CMD ["influency", "serve", "--host", "0.0.0.0"]
