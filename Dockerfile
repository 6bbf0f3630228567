# orbitwatch: one image for the API, the Dask scheduler and the Dask workers
# (docs/deploy.md). Build: docker build -t orbitwatch .
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 orbitwatch
WORKDIR /opt/orbitwatch
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir ".[serve,dask,postgres,plots]"
USER orbitwatch
ENV ORBITWATCH_HOME=/data
VOLUME ["/data"]
EXPOSE 8737 8786
CMD ["orbitwatch", "serve", "--host", "0.0.0.0", "--port", "8737"]
